/* The notes' stored form: an append-only update log per document, compacted into snapshots. */

/** One stored document update. `seq` orders the log of one document; `at` is wall time (ms). */
export interface LogEntry {
  seq: number;
  at: number;
  data: Uint8Array;
}

export interface NewLogEntry {
  at: number;
  data: Uint8Array;
  /** The account whose connection sent it (null for server-written content such as templates). */
  accountId: string | null;
  /**
   * Authorship bindings (Yjs client id → account) of the client ids this update writes with:
   * stored in the same transaction as the update (first binding wins), so authorship survives a
   * crash exactly as the content does.
   */
  bindings?: [number, string][];
}

export interface DocSnapshot {
  /** Every log entry with seq <= uptoSeq is contained in `data`. */
  uptoSeq: number;
  data: Uint8Array;
  /**
   * The snapshot's state vector and delete set (`collab/snapshotMeta.ts`), or null when they were
   * not recorded: derived data, so a note opens without it, only more slowly.
   */
  meta: Uint8Array | null;
}

export interface StoredDoc {
  snapshot: DocSnapshot | null;
  /** Entries after the snapshot, in seq order. */
  tail: LogEntry[];
}

/** A note's storage, in rows and in bytes as stored (compressed and sealed where they were). */
export interface DocStats {
  logRows: number;
  logBytes: number;
  snapshotBytes: number;
}

/**
 * Durable storage of the notes' Yjs updates. The log is append-only for writers; compaction
 * replaces a prefix of it by fewer, merged entries (kept for timeline replay) and a snapshot
 * (for fast opening), atomically, so a crash at any point leaves a loadable document.
 */
export interface DocStore {
  /**
   * The snapshot and the log entries after it; with `tailLimit`, only the first `tailLimit` of
   * those entries (compaction folds a long log in steps of that many).
   */
  load(docId: string, tailLimit?: number): Promise<StoredDoc>;
  /** Appends in one transaction; resolves only once the entries are durable. */
  append(docId: string, entries: NewLogEntry[]): Promise<void>;
  /** Log entries in seq order, optionally only those with seq > afterSeq. */
  readLog(docId: string, afterSeq?: number): Promise<LogEntry[]>;
  /** The distinct times (ms) of the log's entries, ascending: the replay's points, without reading their bytes. */
  logTimes(docId: string): Promise<number[]>;
  /**
   * Atomically: sets the snapshot and replaces the log entries with afterSeq < seq <=
   * snapshot.uptoSeq by `merged` (each keeps the seq and time of the last entry it stands for).
   */
  compact(docId: string, snapshot: DocSnapshot, merged: LogEntry[], afterSeq: number): Promise<void>;
  stats(docId: string): Promise<DocStats>;
}
