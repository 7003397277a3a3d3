/**
 * The log writer: how the SQLite thread (sqliteWorker.ts) stores the frequent writes the main
 * thread gathers (logWrites.ts), and the settings every connection shares.
 */
import Database from 'better-sqlite3';
import type { AuditRecord, DocSnapshot, LogEntry, NewLogEntry } from '../ports';
import type { AppendRefusal } from '../storageBoundary';

type Db = Database.Database;

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

/** What the writer stores in one transaction: notes' log entries, audit records, login activity. */
export interface WriteBatch {
  logs: { docId: string; entries: NewLogEntry[] }[];
  audit: AuditRecord[];
  touches: { tokenHash: string; at: number }[];
  /** Whether to make the write that changes nothing (Store.checkWrite). */
  check: boolean;
}

export const emptyBatch = (): WriteBatch => ({ logs: [], audit: [], touches: [], check: false });

/** The writes the main thread gathers and hands to the SQLite thread. */
export type LogWrite =
  | { kind: 'batch'; batch: WriteBatch }
  | { kind: 'compact'; docId: string; snapshot: DocSnapshot; merged: LogEntry[]; afterSeq: number };

export const INSERT_AUDIT = 'INSERT INTO audit_log (at, actor_id, action, session_id, detail) VALUES (?, ?, ?, ?, ?)';

/**
 * Makes the writer's writes. A batch stores several notes' entries, with their client-id
 * bindings, and the audit records and login activity gathered with them, in one transaction: one
 * commit (one fsync) for everything that arrived together. A compaction sets the snapshot and
 * replaces the log entries with afterSeq < seq <= snapshot.uptoSeq.
 */
/** A note whose entries a batch refused, and why (AppendRefusedError). */
export interface Refused {
  docId: string;
  reason: AppendRefusal;
}

export function sqliteLogWriter(db: Db): { write(w: LogWrite): Refused[]; reclaimAll(): void } {
  const insert = db.prepare('INSERT INTO doc_updates (doc_id, at, account_id, data) VALUES (?, ?, ?, ?)');
  const bind = db.prepare('INSERT INTO client_bindings (session_id, client_id, account_id, bound_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');
  const insertWithSeq = db.prepare('INSERT INTO doc_updates (seq, doc_id, at, account_id, data) VALUES (?, ?, ?, NULL, ?)');
  const deleteRange = db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq > ? AND seq <= ?');
  const putSnapshot = db.prepare(
    'INSERT INTO doc_snapshots (doc_id, upto_seq, data, meta) VALUES (?, ?, ?, ?) ON CONFLICT (doc_id) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data, meta = excluded.meta',
  );
  const insertAudit = db.prepare(INSERT_AUDIT);
  const touch = db.prepare('UPDATE logins SET last_seen_at = ? WHERE token_hash = ?');
  // Rewrites the newest migration's row with its own values: a real write (a page to the WAL and
  // an fsync) that changes nothing, and needs no table of its own.
  const check = db.prepare('UPDATE schema_migrations SET applied_at = applied_at WHERE version = (SELECT MAX(version) FROM schema_migrations)');
  const locked = db.prepare("SELECT 1 FROM sessions WHERE id = ? AND status IN ('signed', 'reviewed')").pluck();
  // Process notes removed for good: their log was purged after the removal was committed, and
  // takes nothing more (a write that waited in the thread would bring words back).
  const removed = db.prepare('SELECT 1 FROM members_process_notes WHERE process_session_id = ? AND removed_at IS NOT NULL').pluck();
  // A writer's claim of a Yjs client id another account holds or announced (AppendRefusedError).
  const taken = db.prepare(
    `SELECT 1 FROM client_bindings WHERE session_id = @docId AND client_id = @client AND account_id <> @account
     UNION ALL SELECT 1 FROM client_announcements WHERE session_id = @docId AND client_id = @client AND account_id <> @account`,
  ).pluck();
  const claimsTaken = (docId: string, entries: NewLogEntry[]) =>
    entries.some((e) => e.accountId !== null && (e.bindings ?? []).some(([client, account]) => taken.get({ docId, client, account })));
  /** Stores the batch; the notes whose entries it refused, and why (AppendRefusedError). */
  const store = db.transaction((batch: WriteBatch): Refused[] => {
    const refused: Refused[] = [];
    for (const { docId, entries } of batch.logs) {
      if (locked.get(docId) || removed.get(docId)) {
        refused.push({ docId, reason: 'closed' });
        continue;
      }
      if (claimsTaken(docId, entries)) {
        refused.push({ docId, reason: 'client_id_taken' });
        continue;
      }
      for (const e of entries) {
        insert.run(docId, e.at, e.accountId, toBuffer(e.data));
        for (const [client, account] of e.bindings ?? []) bind.run(docId, client, account, e.at);
      }
    }
    for (const e of batch.audit) insertAudit.run(e.at, e.actorId, e.action, e.sessionId, JSON.stringify(e.detail));
    for (const t of batch.touches) touch.run(t.at, t.tokenHash);
    if (batch.check) check.run();
    return refused;
  });
  const compact = db.transaction((docId: string, snapshot: DocSnapshot, merged: LogEntry[], afterSeq: number) => {
    if (merged.some((m) => m.seq > snapshot.uptoSeq || m.seq <= afterSeq)) throw new RangeError('merged log entries must lie in the range they replace');
    if (removed.get(docId)) return;
    deleteRange.run(docId, afterSeq, snapshot.uptoSeq);
    for (const m of merged) insertWithSeq.run(m.seq, docId, m.at, toBuffer(m.data));
    putSnapshot.run(docId, snapshot.uptoSeq, toBuffer(snapshot.data), snapshot.meta && toBuffer(snapshot.meta));
  });
  const freePages = db.prepare('PRAGMA freelist_count').pluck();
  return {
    write: (w) => {
      // BEGIN IMMEDIATE: a batch and a compaction read a note's state before they write; a deferred
      // transaction reading first cannot wait for another connection's write lock (SQLITE_BUSY at once).
      if (w.kind === 'batch') return store.immediate(w.batch);
      compact.immediate(w.docId, w.snapshot, w.merged, w.afterSeq);
      // The replaced rows' pages are free but still in the file (see useIncrementalVacuum).
      // db.pragma steps it to the end; a prepared statement's run() frees a single page.
      if ((freePages.get() as number) > KEEP_FREE_PAGES) db.pragma(`incremental_vacuum(${RECLAIM_PAGES})`);
      return [];
    },
    // At a graceful stop nothing waits on the writer any more, and the pages kept free for new
    // rows would otherwise stay in the file until the next start's compactions.
    reclaimAll: () => {
      if ((freePages.get() as number) > 0) db.pragma('incremental_vacuum');
    },
  };
}

/**
 * Free pages handed back to the file system after a compaction, at most (4 KiB each: 8 MiB). The
 * SQLite thread also commits every "Saved": a bounded step (6 ms for 2,048 pages here) keeps a
 * note that compacted a long log from holding the others' confirmations; the rest goes after the
 * next compaction.
 */
const RECLAIM_PAGES = 2048;
/** Up to this many free pages (1 MiB) nothing is reclaimed while running: the log's next appends reuse them (all go at a graceful stop). */
const KEEP_FREE_PAGES = 256;

/**
 * Compaction replaces a note's update log with far fewer rows, and SQLite keeps the pages they
 * held inside the file unless auto_vacuum is on: after the whole automerge-paper trace, 2,119 of
 * 3,100 pages were free. INCREMENTAL lets the writer hand them back after each compaction. The
 * mode changes only through a VACUUM once the file has a header, so a database made before this
 * setting is rewritten once, when the server starts (a new one at once, being empty).
 */
export function useIncrementalVacuum(db: Db): void {
  const isIncremental = () => db.pragma('auto_vacuum', { simple: true }) === 2;
  if (isIncremental()) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  // Even a new file needs it once WAL mode has written its header.
  if (!isIncremental()) db.exec('VACUUM');
}

export const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
export const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
