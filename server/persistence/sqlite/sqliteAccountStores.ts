import type { AccountPatch, AccountRecord, AccountStore, LoginRecord, LoginStore } from '../ports';
import type { Writes } from './logWrites';
import { updateRowById, type Sql } from './sql';

interface AccountRow {
  id: string; email: string; name: string; role: AccountRecord['role'];
  password_hash: string; active: number; created_at: number;
}
const toAccount = (r: AccountRow): AccountRecord => ({
  id: r.id, email: r.email, name: r.name, role: r.role, passwordHash: r.password_hash,
  active: r.active === 1, createdAt: r.created_at,
});

const accountColumns: Record<string, string> = { name: 'name', role: 'role', active: 'active', passwordHash: 'password_hash' };

/** AccountStore.update, synchronous, for a unit of work's transaction as well. */
export const updateAccountRow = (db: Sql, id: string, patch: AccountPatch): void => updateRowById(db, 'accounts', accountColumns, id, patch);

/** AccountStore.create, synchronous, for a unit of work's transaction as well. */
export function insertAccountRow(db: Sql, a: AccountRecord): void {
  db.prepare(
    'INSERT INTO accounts (id, email, name, role, password_hash, active, created_at) VALUES (@id, @email, @name, @role, @passwordHash, @active, @createdAt)',
  ).run({ ...a, active: a.active ? 1 : 0 });
}

/** LoginStore.delete, synchronous, for a unit of work's transaction as well. */
export function deleteLoginRow(db: Sql, tokenHash: string): void {
  db.prepare('DELETE FROM logins WHERE token_hash = ?').run(tokenHash);
}

/** LoginStore.deleteForAccount, synchronous, for a unit of work's transaction as well: how many were deleted. */
export function deleteLoginRows(db: Sql, accountId: string, exceptTokenHash?: string): number {
  return db.prepare('DELETE FROM logins WHERE account_id = ? AND token_hash IS NOT ?').run(accountId, exceptTokenHash ?? null).changes;
}

const countAccounts = (db: Sql): number => (db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;

/** A unit of work's `createFirstAccount`, inside its IMMEDIATE transaction: false when an account exists. */
export function insertFirstAccountRow(db: Sql, a: AccountRecord): boolean {
  if (countAccounts(db) > 0) return false;
  insertAccountRow(db, a);
  return true;
}

/** A unit of work's `startLogin`. */
export function insertLoginRow(db: Sql, l: LoginRecord): void {
  db.prepare('INSERT INTO logins (token_hash, account_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(l.tokenHash, l.accountId, l.createdAt, l.lastSeenAt);
}

export function sqliteAccountStore(db: Sql): AccountStore {
  return {
    count: async () => countAccounts(db),
    create: async (a) => insertAccountRow(db, a),
    byId: async (id) => {
      const r = db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
      return r ? toAccount(r) : null;
    },
    byEmail: async (email) => {
      const r = db.prepare('SELECT * FROM accounts WHERE email = ?').get(email) as AccountRow | undefined;
      return r ? toAccount(r) : null;
    },
    list: async () => (db.prepare('SELECT * FROM accounts ORDER BY name').all() as AccountRow[]).map(toAccount),
    update: async (id, patch) => updateAccountRow(db, id, patch),
  };
}

export function sqliteLoginStore(db: Sql, writes: Writes): LoginStore {
  return {
    get: async (tokenHash) => {
      const r = db
        .prepare('SELECT token_hash AS tokenHash, account_id AS accountId, created_at AS createdAt, last_seen_at AS lastSeenAt FROM logins WHERE token_hash = ?')
        .get(tokenHash) as LoginRecord | undefined;
      return r ?? null;
    },
    touch: writes.touchLogin,
    delete: async (tokenHash) => deleteLoginRow(db, tokenHash),
    deleteForAccount: async (accountId, exceptTokenHash) => deleteLoginRows(db, accountId, exceptTokenHash),
    purge: async (idleBefore, createdBefore) =>
      db.prepare('DELETE FROM logins WHERE last_seen_at < ? OR created_at < ?').run(idleBefore, createdBefore).changes,
  };
}

