import type pg from 'pg';
import type { Logger } from '../../log';
import type {
  AccountRecord, AccountStore, AuditRecord, AuditStore, LoginRecord, LoginStore, MemberRecord, SessionRecord, SessionStore, Store,
} from '../ports';
import type { PostgresTimeouts } from '../../config';
import { createPool, inTransaction, lockGlobal, Locks } from './db';
import { postgresMigrations } from './migrations';
import {
  appendAuditRow, deleteLoginRow, deleteLoginRows, insertAccountRow, memberValues, PUT_MEMBER, removeMemberRow, updateAccountRow, updateSessionRow,
} from './postgresWrites';
import { postgresUnitOfWork } from './postgresUnitOfWork';
import { postgresDocStore } from './PostgresDocStore';
import { postgresLearningStore } from './postgresLearningStore';
import { postgresLeases } from './postgresLeases';
import { postgresStartPasses } from './postgresStartPasses';
import { postgresMemberNotes } from './postgresMemberNotes';
import { postgresReviewStores } from './postgresReviewStores';
import { postgresSupervisorStores } from './postgresSupervisorStores';

/**
 * Opens a pool on `url` and migrates the schema. Several processes may call this at once: the
 * migration runs under an advisory lock. Extra libpq settings go in the URL, e.g.
 * `?options=-c search_path=clinic_a` to keep Tandem's tables in their own schema.
 */
export async function openPostgresStore(url: string, log: Logger, timeouts?: PostgresTimeouts): Promise<Store> {
  const pool = createPool(url, (err) =>
    log.warn('an idle PostgreSQL connection failed; it is dropped and the next query opens a new one', { err }),
  timeouts);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    // Named, so the operator knows which dependency to look at: a link that fell silent mid-start
    // said only 'Query read timeout' (attack, 6 Dec).
    throw new Error(`PostgreSQL at ${new URL(url).host} could not be migrated: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return {
    docs: postgresDocStore(pool),
    accounts: postgresAccountStore(pool),
    logins: postgresLoginStore(pool),
    sessions: postgresSessionStore(pool),
    audit: postgresAuditStore(pool),
    ...postgresReviewStores(pool),
    learning: postgresLearningStore(pool),
    ...postgresSupervisorStores(pool),
    memberNotes: postgresMemberNotes(pool),
    leases: postgresLeases(pool),
    passes: postgresStartPasses(pool),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    // Rewrites the newest migration's row with its own values: a real write (a new row version,
    // WAL, a commit) that changes nothing, and needs no table of its own.
    checkWrite: async () => {
      await pool.query('UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)');
    },
    commit: postgresUnitOfWork(pool),
    close: () => pool.end(),
  };
}

/** How long a starting process waits for another's migration, and a migration step may take (ms). */
const MIGRATION_BOUND_MS = 300_000;

/** Applies every pending version in one transaction (PostgreSQL DDL is transactional). */
async function migrate(pool: pg.Pool): Promise<void> {
  await inTransaction(pool, async (c) => {
    // Processes starting together wait here for the first one's migration, which may take longer
    // than the bounds on everyday statements: the wait gets the start's own bound.
    await c.query(`SET LOCAL lock_timeout = ${MIGRATION_BOUND_MS}; SET LOCAL statement_timeout = ${MIGRATION_BOUND_MS}`);
    await lockGlobal(c, Locks.migrate, MIGRATION_BOUND_MS + 1_000);
    await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    for (const [i, sql] of postgresMigrations.entries()) {
      const version = i + 1;
      if (version <= current) continue;
      await c.query(sql);
      await c.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
    }
  });
}

interface AccountRow {
  id: string; email: string; name: string; role: AccountRecord['role'];
  password_hash: string; active: boolean; created_at: number;
}
const toAccount = (r: AccountRow): AccountRecord => ({
  id: r.id, email: r.email, name: r.name, role: r.role, passwordHash: r.password_hash, active: r.active, createdAt: r.created_at,
});

function postgresAccountStore(pool: pg.Pool): AccountStore {
  const one = async (sql: string, value: string) => {
    const r = (await pool.query<AccountRow>(sql, [value])).rows[0];
    return r ? toAccount(r) : null;
  };
  return {
    count: async () => (await pool.query<{ n: number }>('SELECT COUNT(*)::int8 AS n FROM accounts')).rows[0]!.n,
    create: (a) => insertAccountRow(pool, a),
    byId: (id) => one('SELECT * FROM accounts WHERE id = $1', id),
    byEmail: (email) => one('SELECT * FROM accounts WHERE email = $1', email),
    // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
    list: async () => (await pool.query<AccountRow>('SELECT * FROM accounts ORDER BY name COLLATE "C"')).rows.map(toAccount),
    update: (id, patch) => updateAccountRow(pool, id, patch),
  };
}

function postgresLoginStore(pool: pg.Pool): LoginStore {
  return {
    get: async (tokenHash) => {
      const { rows } = await pool.query<LoginRecord>(
        'SELECT token_hash AS "tokenHash", account_id AS "accountId", created_at AS "createdAt", last_seen_at AS "lastSeenAt" FROM logins WHERE token_hash = $1',
        [tokenHash],
      );
      return rows[0] ?? null;
    },
    touch: async (tokenHash, at) => {
      await pool.query('UPDATE logins SET last_seen_at = $2 WHERE token_hash = $1', [tokenHash, at]);
    },
    delete: (tokenHash) => deleteLoginRow(pool, tokenHash),
    deleteForAccount: (accountId, exceptTokenHash) => deleteLoginRows(pool, accountId, exceptTokenHash),
    purge: async (idleBefore, createdBefore) =>
      (await pool.query('DELETE FROM logins WHERE last_seen_at < $1 OR created_at < $2', [idleBefore, createdBefore])).rowCount ?? 0,
  };
}

interface SessionRow {
  id: string; title: string; kind: SessionRecord['kind']; status: SessionRecord['status'];
  scheduled_at: number | null; created_at: number; created_by: string;
  started_at: number | null; ended_at: number | null; group_members: string[]; version: number;
}
const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id, title: r.title, kind: r.kind, status: r.status, scheduledAt: r.scheduled_at, createdAt: r.created_at, createdBy: r.created_by,
  startedAt: r.started_at, endedAt: r.ended_at, groupMembers: r.group_members, version: r.version,
});
interface MemberRow { session_id: string; account_id: string; role: MemberRecord['role']; added_at: number }
const toMember = (r: MemberRow): MemberRecord => ({ sessionId: r.session_id, accountId: r.account_id, role: r.role, addedAt: r.added_at });

function postgresSessionStore(pool: pg.Pool): SessionStore {
  return {
    byId: async (id) => {
      const r = (await pool.query<SessionRow>('SELECT * FROM sessions WHERE id = $1', [id])).rows[0];
      return r ? toSession(r) : null;
    },
    listForAccount: async (accountId) =>
      (await pool.query<SessionRow>(
        'SELECT s.* FROM sessions s JOIN session_members m ON m.session_id = s.id WHERE m.account_id = $1 ORDER BY COALESCE(s.scheduled_at, s.created_at) DESC',
        [accountId],
      )).rows.map(toSession),
    members: async (sessionId) =>
      (await pool.query<MemberRow>('SELECT * FROM session_members WHERE session_id = $1 ORDER BY added_at, account_id', [sessionId])).rows.map(toMember),
    member: async (sessionId, accountId) => {
      const r = (await pool.query<MemberRow>('SELECT * FROM session_members WHERE session_id = $1 AND account_id = $2', [sessionId, accountId])).rows[0];
      return r ? toMember(r) : null;
    },
    putMember: async (m) => {
      await pool.query(PUT_MEMBER, memberValues(m));
    },
    removeMember: (sessionId, accountId) => removeMemberRow(pool, sessionId, accountId),
    update: (id, patch, fromStatuses) => updateSessionRow(pool, id, patch, { fromStatuses }),
  };
}

interface AuditRow {
  id: number; at: number; actor_id: string | null; action: AuditRecord['action']; session_id: string | null; detail: Record<string, unknown>;
}

function postgresAuditStore(pool: pg.Pool): AuditStore {
  return {
    append: (e) => appendAuditRow(pool, e),
    list: async ({ sessionId, limit, beforeId, actorId, actions, from, to }) => {
      const { rows } = await pool.query<AuditRow>(
        `SELECT id, at, actor_id, action, session_id, detail FROM audit_log
         WHERE ($1::text IS NULL OR session_id = $1) AND ($2::int8 IS NULL OR id < $2)
           AND ($4::text IS NULL OR actor_id = $4) AND ($5::text[] IS NULL OR action = ANY($5::text[]))
           AND ($6::int8 IS NULL OR at >= $6) AND ($7::int8 IS NULL OR at < $7)
         ORDER BY id DESC LIMIT $3`,
        [sessionId ?? null, beforeId ?? null, limit, actorId ?? null, actions ?? null, from ?? null, to ?? null],
      );
      return rows.map((r) => ({ id: r.id, at: r.at, actorId: r.actor_id, action: r.action, sessionId: r.session_id, detail: r.detail }));
    },
  };
}
