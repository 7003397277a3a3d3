import type { DocStats, DocStore, LogEntry, StoredDoc } from '../ports';
import type { Writes } from './logWrites';
import { toBytes } from './sqliteLogWriter';
import type { Sql } from './sql';

interface LogRow { seq: number; at: number; data: Buffer }
const toEntry = (r: LogRow): LogEntry => ({ seq: r.seq, at: r.at, data: toBytes(r.data) });

export function sqliteDocStore(db: Sql, writes: Writes): DocStore {
  const snapshotOf = db.prepare('SELECT upto_seq AS uptoSeq, data, meta FROM doc_snapshots WHERE doc_id = ?');
  // LIMIT -1: no limit.
  const logAfter = db.prepare('SELECT seq, at, data FROM doc_updates WHERE doc_id = ? AND seq > ? ORDER BY seq LIMIT ?');
  const readLog = (docId: string, afterSeq = 0, limit = -1): LogEntry[] =>
    (logAfter.all(docId, afterSeq, limit) as LogRow[]).map(toEntry);
  return {
    load: async (docId, tailLimit): Promise<StoredDoc> => {
      // One read transaction, so a concurrent compaction cannot slip between the two reads.
      return db.transaction(() => {
        const snap = snapshotOf.get(docId) as { uptoSeq: number; data: Buffer; meta: Buffer | null } | undefined;
        const snapshot = snap ? { uptoSeq: snap.uptoSeq, data: toBytes(snap.data), meta: snap.meta && toBytes(snap.meta) } : null;
        return { snapshot, tail: readLog(docId, snapshot?.uptoSeq ?? 0, tailLimit) };
      })();
    },
    append: writes.append,
    readLog: async (docId, afterSeq) => readLog(docId, afterSeq),
    logTimes: async (docId) => (db.prepare('SELECT DISTINCT at FROM doc_updates WHERE doc_id = ? ORDER BY at').all(docId) as { at: number }[]).map((r) => r.at),
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

