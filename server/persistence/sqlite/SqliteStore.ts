import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  AccountRecord, AccountStore, AuditRecord, AuditStore, DocSnapshot, DocStats, DocStore, LogEntry,
  LoginRecord, LoginStore, MemberRecord, NewLogEntry, SessionPatch, SessionRecord, SessionStore, Store, StoredDoc,
} from '../ports';
import { sqliteLearningStore } from './sqliteLearningStore';
import { sqliteMemberNotes } from './sqliteMemberNotes';
import { sqliteReviewStores } from './sqliteReviewStores';
import { sqliteSupervisorStores } from './sqliteSupervisorStores';
import { sqliteMigrations } from './migrations';
import { exactCopy, ThreadClient } from '../../threads/ThreadClient';

type Db = Database.Database;

/**
 * Opens (creating and migrating) the SQLite database. `file` may be ':memory:'. The frequent
 * writes (the notes' update log and its compactions, audit records, login activity) are made by a
 * worker thread with its own connection: a commit waits for the disk, and the event loop that
 * relays keystrokes must not wait with it, nor sleep waiting for that connection's lock.
 * (':memory:' cannot be shared with a second connection, so there they are written in line.)
 */
export async function openSqliteStore(file: string): Promise<Store> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = openDatabase(file);
  migrate(db);
  const threaded = file === ':memory:' ? null : threadedLogWriter(file);
  // The writer thread starts now: loading its modules takes ~150 ms of a core, which the first
  // request after start (a clinician opening a note) would otherwise wait behind.
  await threaded?.ready;
  const writes = threaded ?? inLineLogWriter(sqliteLogWriter(db));
  const sql = withStatementCache(db);
  return {
    docs: sqliteDocStore(sql, writes),
    accounts: sqliteAccountStore(sql),
    logins: sqliteLoginStore(sql, writes),
    sessions: sqliteSessionStore(sql),
    audit: sqliteAuditStore(sql, writes),
    ...sqliteReviewStores(sql),
    learning: sqliteLearningStore(sql),
    ...sqliteSupervisorStores(sql),
    memberNotes: sqliteMemberNotes(sql),
    ping: async () => {
      db.prepare('SELECT 1').get();
    },
    // Through the writer, the path every frequent write takes.
    checkWrite: () => writes.checkWrite(),
    close: async () => {
      await threaded?.close();
      db.close();
    },
  };
}

/** What the stores use of a connection. */
export type Sql = Pick<Db, 'prepare' | 'transaction'>;

/**
 * Preparing a statement costs more than running most of these queries (a login and membership
 * lookup on every websocket upgrade), so each SQL text is prepared once per connection.
 */
function withStatementCache(db: Db): Sql {
  const cache = new Map<string, Database.Statement>();
  const prepare = (source: string): Database.Statement => {
    let statement = cache.get(source);
    if (!statement) {
      statement = db.prepare(source);
      cache.set(source, statement);
    }
    return statement;
  };
  // Db['prepare'] is generic only in the row and parameter types it reports, not in what it does.
  return { prepare: prepare as Db['prepare'], transaction: (fn) => db.transaction(fn) };
}

/** A connection with the settings every connection to the database must share. */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we tell a clinician "Saved", even across power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // A WAL file keeps its largest size unless told otherwise; cut it back after each reset.
  db.pragma('journal_size_limit = 8388608');
  return db;
}

/**
 * How long writes gather before they are handed to the worker as one commit. "Saved" comes this
 * much later; in exchange, under load one fsync and one thread wake-up cover many keystrokes of
 * many notes (and the audit records of a wave of reconnections), and the worker's share of the
 * server's core shrinks.
 */
const GROUP_COMMIT_MS = 5;

/** The writes made by the writer: each resolves once it is durable. */
interface Writes extends Pick<DocStore, 'append' | 'compact'> {
  audit(record: AuditRecord): Promise<void>;
  touchLogin(tokenHash: string, at: number): Promise<void>;
  checkWrite(): Promise<void>;
}

/** What the writer stores in one transaction: notes' log entries, audit records, login activity. */
export interface WriteBatch {
  logs: { docId: string; entries: NewLogEntry[] }[];
  audit: AuditRecord[];
  touches: { tokenHash: string; at: number }[];
  /** Whether to make the write that changes nothing (Store.checkWrite). */
  check: boolean;
}

const emptyBatch = (): WriteBatch => ({ logs: [], audit: [], touches: [], check: false });

/** What the writer thread is asked to do. */
export type LogWrite =
  | { kind: 'batch'; batch: WriteBatch }
  | { kind: 'compact'; docId: string; snapshot: DocSnapshot; merged: LogEntry[]; afterSeq: number };

function threadedLogWriter(file: string): Writes & { ready: Promise<void>; close(): Promise<void> } {
  const thread = new ThreadClient<LogWrite, null>(new URL('./logWriterWorker.ts', import.meta.url), { file });
  let batch = emptyBatch();
  let committed: Promise<void> | null = null;
  const add = (put: (b: WriteBatch) => void): Promise<void> => {
    put(batch);
    committed ??= new Promise((resolve) => setTimeout(resolve, GROUP_COMMIT_MS)).then(async () => {
      const gathered = batch;
      batch = emptyBatch();
      committed = null;
      await thread.request({ kind: 'batch', batch: gathered });
    });
    return committed;
  };
  return {
    ready: thread.start(),
    append: (docId, entries) => add((b) => b.logs.push({ docId, entries: entries.map(exactCopy) })),
    audit: (record) => add((b) => b.audit.push(record)),
    touchLogin: (tokenHash, at) => add((b) => b.touches.push({ tokenHash, at })),
    checkWrite: () =>
      add((b) => {
        b.check = true;
      }),
    compact: async (docId, snapshot, merged, afterSeq) => {
      await thread.request({ kind: 'compact', docId, snapshot: exactCopy(snapshot), merged: merged.map(exactCopy), afterSeq });
    },
    close: () => thread.close(),
  };
}

function inLineLogWriter(writer: ReturnType<typeof sqliteLogWriter>): Writes {
  const write = async (put: (b: WriteBatch) => void) => {
    const batch = emptyBatch();
    put(batch);
    writer.write({ kind: 'batch', batch });
  };
  return {
    append: (docId, entries) => write((b) => b.logs.push({ docId, entries })),
    audit: (record) => write((b) => b.audit.push(record)),
    touchLogin: (tokenHash, at) => write((b) => b.touches.push({ tokenHash, at })),
    checkWrite: () =>
      write((b) => {
        b.check = true;
      }),
    compact: async (docId, snapshot, merged, afterSeq) => writer.write({ kind: 'compact', docId, snapshot, merged, afterSeq }),
  };
}

/**
 * Makes the writer's writes. A batch stores several notes' entries, with their client-id
 * bindings, and the audit records and login activity gathered with them, in one transaction: one
 * commit (one fsync) for everything that arrived together. A compaction sets the snapshot and
 * replaces the log entries with afterSeq < seq <= snapshot.uptoSeq.
 */
export function sqliteLogWriter(db: Db): { write(w: LogWrite): void } {
  const insert = db.prepare('INSERT INTO doc_updates (doc_id, at, account_id, data) VALUES (?, ?, ?, ?)');
  const bind = db.prepare('INSERT INTO client_bindings (session_id, client_id, account_id, bound_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const insertWithSeq = db.prepare('INSERT INTO doc_updates (seq, doc_id, at, account_id, data) VALUES (?, ?, ?, NULL, ?)');
  const deleteRange = db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq > ? AND seq <= ?');
  const putSnapshot = db.prepare(
    'INSERT INTO doc_snapshots (doc_id, upto_seq, data, meta) VALUES (?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data, meta = excluded.meta',
  );
  const insertAudit = db.prepare('INSERT INTO audit_log (at, actor_id, action, session_id, detail) VALUES (?, ?, ?, ?, ?)');
  const touch = db.prepare('UPDATE logins SET last_seen_at = ? WHERE token_hash = ?');
  // Rewrites the newest migration's row with its own values: a real write (a page to the WAL and
  // an fsync) that changes nothing, and needs no table of its own.
  const check = db.prepare('UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)');
  const store = db.transaction((batch: WriteBatch) => {
    for (const { docId, entries } of batch.logs) {
      for (const e of entries) {
        insert.run(docId, e.at, e.accountId, toBuffer(e.data));
        for (const [client, account] of e.bindings ?? []) bind.run(docId, client, account, e.at);
      }
    }
    for (const e of batch.audit) insertAudit.run(e.at, e.actorId, e.action, e.sessionId, JSON.stringify(e.detail));
    for (const t of batch.touches) touch.run(t.at, t.tokenHash);
    if (batch.check) check.run();
  });
  const compact = db.transaction((docId: string, snapshot: DocSnapshot, merged: LogEntry[], afterSeq: number) => {
    if (merged.some((m) => m.seq > snapshot.uptoSeq || m.seq <= afterSeq)) throw new RangeError('merged log entries must lie in the range they replace');
    deleteRange.run(docId, afterSeq, snapshot.uptoSeq);
    for (const m of merged) insertWithSeq.run(m.seq, docId, m.at, toBuffer(m.data));
    putSnapshot.run(docId, snapshot.uptoSeq, toBuffer(snapshot.data), snapshot.meta && toBuffer(snapshot.meta));
  });
  return {
    write: (w) => (w.kind === 'batch' ? store(w.batch) : compact(w.docId, w.snapshot, w.merged, w.afterSeq)),
  };
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  sqliteMigrations.forEach((sql, i) => {
    const version = i + 1;
    if (version <= current) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    })();
  });
}

const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

interface LogRow { seq: number; at: number; data: Buffer }
const toEntry = (r: LogRow): LogEntry => ({ seq: r.seq, at: r.at, data: toBytes(r.data) });

function sqliteDocStore(db: Sql, writes: Writes): DocStore {
  const snapshotOf = db.prepare('SELECT upto_seq AS uptoSeq, data, meta FROM doc_snapshots WHERE doc_id = ?');
  const logAfter = db.prepare('SELECT seq, at, data FROM doc_updates WHERE doc_id = ? AND seq > ? ORDER BY seq');
  const readLog = (docId: string, afterSeq = 0): LogEntry[] =>
    (logAfter.all(docId, afterSeq) as LogRow[]).map(toEntry);
  return {
    load: async (docId): Promise<StoredDoc> => {
      // One read transaction, so a concurrent compaction cannot slip between the two reads.
      return db.transaction(() => {
        const snap = snapshotOf.get(docId) as { uptoSeq: number; data: Buffer; meta: Buffer | null } | undefined;
        const snapshot = snap ? { uptoSeq: snap.uptoSeq, data: toBytes(snap.data), meta: snap.meta && toBytes(snap.meta) } : null;
        return { snapshot, tail: readLog(docId, snapshot?.uptoSeq ?? 0) };
      })();
    },
    append: writes.append,
    readLog: async (docId, afterSeq) => readLog(docId, afterSeq),
    compact: writes.compact,
    stats: async (docId): Promise<DocStats> => {
      const log = db
        .prepare('SELECT COUNT(*) AS n, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc_id = ?')
        .get(docId) as { n: number; bytes: number };
      const snap = db.prepare('SELECT LENGTH(data) AS bytes FROM doc_snapshots WHERE doc_id = ?').get(docId) as
        | { bytes: number }
        | undefined;
      return { logRows: log.n, logBytes: log.bytes, snapshotBytes: snap?.bytes ?? 0 };
    },
  };
}

interface AccountRow {
  id: string; email: string; name: string; role: AccountRecord['role'];
  password_hash: string; active: number; created_at: number;
}
const toAccount = (r: AccountRow): AccountRecord => ({
  id: r.id, email: r.email, name: r.name, role: r.role, passwordHash: r.password_hash,
  active: r.active === 1, createdAt: r.created_at,
});

function sqliteAccountStore(db: Sql): AccountStore {
  const insert = db.prepare(
    'INSERT INTO accounts (id, email, name, role, password_hash, active, created_at) VALUES (@id, @email, @name, @role, @passwordHash, @active, @createdAt)',
  );
  const params = (a: AccountRecord) => ({ ...a, active: a.active ? 1 : 0 });
  const count = (): number => (db.prepare('SELECT COUNT(*) AS n FROM accounts').get() as { n: number }).n;
  const createFirst = db.transaction((a: AccountRecord): boolean => {
    if (count() > 0) return false;
    insert.run(params(a));
    return true;
  });
  const columns: Record<string, string> = { name: 'name', role: 'role', active: 'active', passwordHash: 'password_hash' };
  return {
    count: async () => count(),
    createFirst: async (a) => createFirst.immediate(a),
    create: async (a) => {
      insert.run(params(a));
    },
    byId: async (id) => {
      const r = db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow | undefined;
      return r ? toAccount(r) : null;
    },
    byEmail: async (email) => {
      const r = db.prepare('SELECT * FROM accounts WHERE email = ?').get(email) as AccountRow | undefined;
      return r ? toAccount(r) : null;
    },
    list: async () => (db.prepare('SELECT * FROM accounts ORDER BY name').all() as AccountRow[]).map(toAccount),
    update: async (id, patch) => {
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return;
      const sets = entries.map(([k]) => `${columns[k]} = @${k}`).join(', ');
      const values = Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 1 : 0) : v]));
      db.prepare(`UPDATE accounts SET ${sets} WHERE id = @id`).run({ ...values, id });
    },
  };
}

function sqliteLoginStore(db: Sql, writes: Writes): LoginStore {
  return {
    create: async (l) => {
      db.prepare('INSERT INTO logins (token_hash, account_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)').run(
        l.tokenHash, l.accountId, l.createdAt, l.lastSeenAt,
      );
    },
    get: async (tokenHash) => {
      const r = db
        .prepare('SELECT token_hash AS tokenHash, account_id AS accountId, created_at AS createdAt, last_seen_at AS lastSeenAt FROM logins WHERE token_hash = ?')
        .get(tokenHash) as LoginRecord | undefined;
      return r ?? null;
    },
    touch: writes.touchLogin,
    delete: async (tokenHash) => {
      db.prepare('DELETE FROM logins WHERE token_hash = ?').run(tokenHash);
    },
    deleteForAccount: async (accountId, exceptTokenHash) =>
      db.prepare('DELETE FROM logins WHERE account_id = ? AND token_hash IS NOT ?').run(accountId, exceptTokenHash ?? null).changes,
    purge: async (idleBefore, createdBefore) =>
      db.prepare('DELETE FROM logins WHERE last_seen_at < ? OR created_at < ?').run(idleBefore, createdBefore).changes,
  };
}

interface SessionRow {
  id: string; title: string; kind: SessionRecord['kind']; status: SessionRecord['status'];
  scheduled_at: number | null; created_at: number; created_by: string;
  started_at: number | null; ended_at: number | null; group_members: string; version: number;
}
const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id, title: r.title, kind: r.kind, status: r.status, scheduledAt: r.scheduled_at,
  createdAt: r.created_at, createdBy: r.created_by, startedAt: r.started_at, endedAt: r.ended_at,
  groupMembers: JSON.parse(r.group_members) as string[], version: r.version,
});
const sessionColumns: Record<keyof SessionPatch, string> = {
  status: 'status', startedAt: 'started_at', endedAt: 'ended_at', groupMembers: 'group_members', title: 'title',
};
interface MemberRow { session_id: string; account_id: string; role: MemberRecord['role']; added_at: number }
const toMember = (r: MemberRow): MemberRecord => ({
  sessionId: r.session_id, accountId: r.account_id, role: r.role, addedAt: r.added_at,
});

function sqliteSessionStore(db: Sql): SessionStore {
  const putMember = db.prepare(
    'INSERT INTO session_members (session_id, account_id, role, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, account_id) DO UPDATE SET role = excluded.role',
  );
  const create = db.transaction((s: SessionRecord, m: MemberRecord, initial: NewLogEntry | null) => {
    db.prepare(
      'INSERT INTO sessions (id, title, kind, status, scheduled_at, created_at, created_by, started_at, ended_at, group_members) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(s.id, s.title, s.kind, s.status, s.scheduledAt, s.createdAt, s.createdBy, s.startedAt, s.endedAt, JSON.stringify(s.groupMembers));
    putMember.run(m.sessionId, m.accountId, m.role, m.addedAt);
    if (initial) {
      db.prepare('INSERT INTO doc_updates (doc_id, at, account_id, data) VALUES (?, ?, ?, ?)').run(
        s.id, initial.at, initial.accountId, toBuffer(initial.data),
      );
    }
  });
  return {
    create: async (s, m, initial) => {
      create(s, m, initial);
    },
    byId: async (id) => {
      const r = db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
      return r ? toSession(r) : null;
    },
    listForAccount: async (accountId) =>
      (db
        .prepare('SELECT s.* FROM sessions s JOIN session_members m ON m.session_id = s.id WHERE m.account_id = ? ORDER BY COALESCE(s.scheduled_at, s.created_at) DESC')
        .all(accountId) as SessionRow[]).map(toSession),
    members: async (sessionId) =>
      (db.prepare('SELECT * FROM session_members WHERE session_id = ? ORDER BY added_at').all(sessionId) as MemberRow[]).map(toMember),
    member: async (sessionId, accountId) => {
      const r = db.prepare('SELECT * FROM session_members WHERE session_id = ? AND account_id = ?').get(sessionId, accountId) as
        | MemberRow
        | undefined;
      return r ? toMember(r) : null;
    },
    putMember: async (m) => {
      putMember.run(m.sessionId, m.accountId, m.role, m.addedAt);
    },
    removeMember: async (sessionId, accountId) =>
      db.prepare('DELETE FROM session_members WHERE session_id = ? AND account_id = ?').run(sessionId, accountId).changes > 0,
    update: async (id, patch, fromStatuses) => {
      const entries = (Object.entries(patch) as [keyof SessionPatch, unknown][]).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return true;
      const sets = entries.map(([k]) => `${sessionColumns[k]} = @${k}`).join(', ');
      const values = Object.fromEntries(entries.map(([k, v]) => [k, k === 'groupMembers' ? JSON.stringify(v) : v]));
      const guard = fromStatuses ? ` AND status IN (${fromStatuses.map((_, i) => `@from${i}`).join(', ')})` : '';
      const from = Object.fromEntries((fromStatuses ?? []).map((st, i) => [`from${i}`, st]));
      return db.prepare(`UPDATE sessions SET ${sets}, version = version + 1 WHERE id = @id${guard}`).run({ ...values, ...from, id }).changes > 0;
    },
  };
}

function sqliteAuditStore(db: Sql, writes: Writes): AuditStore {
  return {
    append: writes.audit,
    list: async ({ sessionId, limit, beforeId, actorId, actions, from, to }) => {
      const rows = db
        .prepare(
          `SELECT id, at, actor_id, action, session_id, detail FROM audit_log
           WHERE (@sessionId IS NULL OR session_id = @sessionId) AND (@beforeId IS NULL OR id < @beforeId)
             AND (@actorId IS NULL OR actor_id = @actorId)
             AND (@actions IS NULL OR action IN (SELECT value FROM json_each(@actions)))
             AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
           ORDER BY id DESC LIMIT @limit`,
        )
        .all({
          sessionId: sessionId ?? null, beforeId: beforeId ?? null, limit, actorId: actorId ?? null,
          actions: actions ? JSON.stringify(actions) : null, from: from ?? null, to: to ?? null,
        }) as {
        id: number; at: number; actor_id: string | null; action: AuditRecord['action']; session_id: string | null; detail: string;
      }[];
      return rows.map((r) => ({
        id: r.id, at: r.at, actorId: r.actor_id, action: r.action, sessionId: r.session_id,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      }));
    },
  };
}
