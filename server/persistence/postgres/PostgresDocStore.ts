import type pg from 'pg';
import type { DocSnapshot, DocStats, DocStore, LogEntry, NewLogEntry } from '../ports';
import { inTransaction, lockDoc, toBuffer, toBytes } from './db';
import { AppendRefusedError } from '../storageBoundary';
import { isLocked } from '../../../shared/domain/lifecycle';
import type { SessionStatus } from '../../../shared/domain/session';

/** Thrown by `compact` when the log changed under it; nothing was written, a later run retries. */
export class CompactionConflictError extends Error {
  readonly code = 'compaction_conflict';
  constructor(message: string) {
    super(message);
    this.name = 'CompactionConflictError';
  }
}

interface LogRow { seq: number; at: number; data: Buffer }
const toEntry = (r: LogRow): LogEntry => ({ seq: r.seq, at: r.at, data: toBytes(r.data) });

/** Rows per INSERT statement (4 parameters each, well under PostgreSQL's 65535). */
const INSERT_CHUNK = 1000;

/**
 * Inserts log entries and binds the Yjs client ids they write with for the first time to their
 * account (in the same transaction, so authorship survives a crash exactly as content does).
 * The caller holds the document's lock.
 */
export async function insertEntries(client: pg.PoolClient, docId: string, entries: NewLogEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
    const chunk = entries.slice(i, i + INSERT_CHUNK);
    const values: unknown[] = [];
    const rows = chunk.map((e, j) => {
      values.push(docId, e.at, e.accountId, toBuffer(e.data));
      return `($${j * 4 + 1}, $${j * 4 + 2}, $${j * 4 + 3}, $${j * 4 + 4})`;
    });
    await client.query(`INSERT INTO doc_updates (doc_id, at, account_id, data) VALUES ${rows.join(', ')}`, values);
  }
  for (const e of entries) {
    if (!e.bindings?.length) continue;
    await client.query(
      `INSERT INTO client_bindings (session_id, client_id, account_id, bound_at)
       SELECT $1, c, a, $4 FROM unnest($2::int8[], $3::text[]) AS b(c, a) ON CONFLICT DO NOTHING`,
      [docId, e.bindings.map(([c]) => c), e.bindings.map(([, a]) => a), e.at],
    );
  }
}

/**
 * The notes' Yjs logs in PostgreSQL, safe with several server processes writing one document.
 *
 * Why appends and compactions take a per-document advisory lock: `seq` comes from a sequence at
 * INSERT time, but transactions commit in any order. Without the lock, an append could get seq 10,
 * commit after a compaction read the log up to seq 11, and be deleted by that compaction's
 * `seq <= 11` although its content is not in the snapshot. An append holds the lock from before
 * its rows get their seq until after they are visible (PostgreSQL releases transaction locks only
 * after the commit is visible), so within one document seq order is commit order: whatever a
 * compaction's earlier read did not see has a seq above everything it saw, and `seq <= uptoSeq`
 * cannot reach it. The sequence must keep CACHE 1 (the bigserial default) for this to hold.
 * What remains is two compactions racing, which `compact` checks under the same lock. The
 * adapter does not look inside the data: with encryption at rest it only sees ciphertext.
 */
export function postgresDocStore(pool: pg.Pool): DocStore {
  const readLog = async (q: pg.Pool | pg.PoolClient, docId: string, afterSeq: number, limit?: number): Promise<LogEntry[]> => {
    // LIMIT NULL: no limit.
    const { rows } = await q.query<LogRow>('SELECT seq, at, data FROM doc_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq LIMIT $3', [docId, afterSeq, limit ?? null]);
    return rows.map(toEntry);
  };

  return {
    // One statement, so one snapshot of the database for both parts (a compaction cannot slip in
    // between), and one round trip: as a read-only transaction it took four, each a wait on a
    // slow link (attack, 6 Dec: a note read three times to sign it).
    load: async (docId, tailLimit) => {
      const { rows } = await pool.query<LogRow & { meta: Buffer | null; snapshot: boolean }>(
        `WITH snap AS (SELECT upto_seq, data, meta FROM doc_snapshots WHERE doc_id = $1)
         SELECT true AS snapshot, upto_seq AS seq, NULL::int8 AS at, data, meta FROM snap
         UNION ALL
         (SELECT false, seq, at, data, NULL FROM doc_updates WHERE doc_id = $1 AND seq > COALESCE((SELECT upto_seq FROM snap), 0) ORDER BY seq LIMIT $2)
         ORDER BY snapshot DESC, seq`,
        [docId, tailLimit ?? null],
      );
      const head = rows[0]?.snapshot ? rows[0] : null;
      const snapshot: DocSnapshot | null = head ? { uptoSeq: head.seq, data: toBytes(head.data), meta: head.meta && toBytes(head.meta) } : null;
      return { snapshot, tail: rows.slice(head ? 1 : 0).map(toEntry) };
    },

    append: async (docId, entries) => {
      if (entries.length === 0) return;
      await inTransaction(pool, async (c) => {
        await lockDoc(c, docId);
        // Held shared to the commit: a lock (UPDATE of the status) waits for this append, and its
        // check of the stored note then sees it; an append after the lock is refused here.
        // Removed process notes are read in the same round trip: the purge takes the note's lock too
        // (purgeDoc), so an append before it is purged with the rest, and one after it finds the removal.
        const { rows } = await c.query<{ status: string; removed: boolean }>(
          `SELECT status, EXISTS (SELECT 1 FROM members_process_notes WHERE process_session_id = $1 AND removed_at IS NOT NULL) AS removed
           FROM sessions WHERE id = $1 FOR SHARE OF sessions`,
          [docId],
        );
        if (rows[0] && (isLocked(rows[0].status as SessionStatus) || rows[0].removed)) throw new AppendRefusedError(docId);
        if (await claimsTaken(c, docId, entries)) throw new AppendRefusedError(docId, 'client_id_taken');
        await insertEntries(c, docId, entries);
      });
    },

    readLog: (docId, afterSeq = 0) => readLog(pool, docId, afterSeq),

    logTimes: async (docId) => (await pool.query<{ at: string }>('SELECT DISTINCT at FROM doc_updates WHERE doc_id = $1 ORDER BY at', [docId])).rows.map((r) => Number(r.at)),

    compact: (docId, snapshot, merged, afterSeq) =>
      inTransaction(pool, async (c) => {
        await lockDoc(c, docId);
        // Folded from a log read before the purge: writing it would bring the purged words back.
        if (await isRemoved(c, docId)) return;
        await verifyCompaction(c, docId, snapshot, merged, afterSeq);
        await c.query('DELETE FROM doc_updates WHERE doc_id = $1 AND seq > $2 AND seq <= $3', [docId, afterSeq, snapshot.uptoSeq]);
        for (const m of merged) {
          await c.query('INSERT INTO doc_updates (seq, doc_id, at, account_id, data) VALUES ($1, $2, $3, NULL, $4)', [m.seq, docId, m.at, toBuffer(m.data)]);
        }
        await c.query(
          `INSERT INTO doc_snapshots (doc_id, upto_seq, data, meta) VALUES ($1, $2, $3, $4)
           ON CONFLICT (doc_id) DO UPDATE SET upto_seq = excluded.upto_seq, data = excluded.data, meta = excluded.meta`,
          [docId, snapshot.uptoSeq, toBuffer(snapshot.data), snapshot.meta && toBuffer(snapshot.meta)],
        );
      }),

    stats: async (docId): Promise<DocStats> => {
      const { rows } = await pool.query<{ n: number; bytes: number; snapshot_bytes: number }>(
        `SELECT (SELECT COUNT(*) FROM doc_updates WHERE doc_id = $1)::int8 AS n,
                (SELECT COALESCE(SUM(octet_length(data)), 0) FROM doc_updates WHERE doc_id = $1)::int8 AS bytes,
                COALESCE((SELECT octet_length(data) FROM doc_snapshots WHERE doc_id = $1), 0)::int8 AS snapshot_bytes`,
        [docId],
      );
      const r = rows[0]!;
      return { logRows: r.n, logBytes: r.bytes, snapshotBytes: r.snapshot_bytes };
    },
  };
}

/**
 * Under the document's lock: refuses a compaction based on an older read than one already
 * committed (it would move the snapshot backwards), and merged entries outside the range.
 * A compaction that read the log before another one committed, to a lower seq, is still sound:
 * the rows the other replaced stood for content this one's snapshot already has.
 */
/** Whether `docId` is process notes removed for good (services: removeProcessNote), whose log takes nothing more. */
async function isRemoved(c: pg.PoolClient, docId: string): Promise<boolean> {
  const { rowCount } = await c.query('SELECT 1 FROM members_process_notes WHERE process_session_id = $1 AND removed_at IS NOT NULL', [docId]);
  return (rowCount ?? 0) > 0;
}

/**
 * Whether a writer's entry binds a Yjs client id that storage binds to, or saw announced by,
 * another account (see AppendRefusedError). Only writers' claims are judged: the bindings an entry
 * relayed from another process carries were that process's claims, judged where they were made.
 */
async function claimsTaken(c: pg.PoolClient, docId: string, entries: NewLogEntry[]): Promise<boolean> {
  const claims = entries.flatMap((e) => (e.accountId === null ? [] : e.bindings ?? []));
  if (claims.length === 0) return false;
  const { rowCount } = await c.query(
    `SELECT 1 FROM unnest($2::int8[], $3::text[]) AS b(c, a)
     WHERE EXISTS (SELECT 1 FROM client_bindings WHERE session_id = $1 AND client_id = b.c AND account_id <> b.a)
        OR EXISTS (SELECT 1 FROM client_announcements WHERE session_id = $1 AND client_id = b.c AND account_id <> b.a)
     LIMIT 1`,
    [docId, claims.map(([client]) => client), claims.map(([, account]) => account)],
  );
  return (rowCount ?? 0) > 0;
}

async function verifyCompaction(c: pg.PoolClient, docId: string, snapshot: DocSnapshot, merged: LogEntry[], afterSeq: number): Promise<void> {
  if (merged.some((m) => m.seq > snapshot.uptoSeq || m.seq <= afterSeq)) throw new RangeError('merged log entries must lie in the range they replace');
  const prev = (await c.query<{ upto_seq: number }>('SELECT upto_seq FROM doc_snapshots WHERE doc_id = $1', [docId])).rows[0];
  if (prev && prev.upto_seq > snapshot.uptoSeq) {
    throw new CompactionConflictError(`document ${docId} was already compacted further (to seq ${prev.upto_seq})`);
  }
}
