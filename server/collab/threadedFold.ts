import { exactCopy, IDLE_THREAD_MS, ThreadClient } from '../threads/ThreadClient';
import type { Fold, Folded, FoldInput } from './compaction';

/** A `Fold` that runs on a worker thread; `close` stops the thread. */
export function threadedFold(): { fold: Fold; close(): Promise<void> } {
  const thread = new ThreadClient<FoldInput, Folded>(new URL('./compactionWorker.ts', import.meta.url), null, { endWhenIdleMs: IDLE_THREAD_MS });
  return {
    fold: ({ docId, snapshot, tail, resolutionMs }) =>
      thread.request({ docId, snapshot: snapshot ? new Uint8Array(snapshot) : null, tail: tail.map(exactCopy), resolutionMs }),
    close: () => thread.close(),
  };
}
