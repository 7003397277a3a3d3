/**
 * Who may compact a note's update log now. Compaction rewrites the log (folds entries into a
 * snapshot), so two processes compacting one note at once would fold the same entries twice.
 */
export interface CompactionLock {
  /**
   * Runs `run` if nobody else holds this session's lock, holding it until `run` settles; skips
   * `run` (resolves at once) when it is held elsewhere. Rejects with `run`'s own failure, and with
   * LockUnavailableError when the lock's store refused or did not answer: then nothing was folded,
   * and the caller tries again later (a skip that looked like a compaction reset the note's count,
   * so a Redis refusing the lock starved compaction for good, said only at debug level).
   */
  withLock(sessionId: string, run: () => Promise<void>): Promise<void>;
  /**
   * For /healthz: whether the lock's store takes the lock now. Asks the store only while the last
   * attempt was refused (no compaction may be due for minutes after it takes writes again).
   */
  takes?(): Promise<boolean>;
  close(): Promise<void>;
}

/** The lock's store refused to take a lock or did not answer (Redis full, read-only, unreachable). */
export class LockUnavailableError extends Error {
  constructor(cause: unknown) {
    super('compaction lock unavailable', { cause });
    this.name = 'LockUnavailableError';
  }
}

/** One process: a note is held while this process compacts it, so a second attempt meanwhile is skipped. */
export function createLocalCompactionLock(): CompactionLock {
  const held = new Set<string>();
  return {
    withLock: async (sessionId, run) => {
      if (held.has(sessionId)) return;
      held.add(sessionId);
      try {
        await run();
      } finally {
        held.delete(sessionId);
      }
    },
    close: async () => {},
  };
}
