/**
 * Who may compact a note's update log now. Compaction rewrites the log (folds entries into a
 * snapshot), so two processes compacting one note at once would fold the same entries twice.
 */
export interface CompactionLock {
  /**
   * Runs `run` if nobody else holds this session's lock, holding it until `run` settles; skips
   * `run` (resolves at once) when it is held elsewhere or cannot be taken (the lock's store is
   * unreachable): compaction is tried again later. Rejects only with `run`'s own failure.
   */
  withLock(sessionId: string, run: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
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
