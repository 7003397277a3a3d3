import { ThreadClient } from '../threads/ThreadClient';
import type { Fold, Folded, FoldInput } from './compaction';

/** A `Fold` that runs on a worker thread; `close` stops the thread. */
export function threadedFold(): { fold: Fold; close(): Promise<void> } {
  const thread = new ThreadClient<FoldInput, Folded>(new URL('./compactionWorker.ts', import.meta.url));
  return {
    // A stored entry may be a view into a larger pooled buffer, and posting a view copies all of
    // it: send exact copies (`new Uint8Array(view)` copies just the view).
    fold: ({ snapshot, tail, resolutionMs }) =>
      thread.request({ snapshot: snapshot ? new Uint8Array(snapshot) : null, tail: tail.map((e) => ({ ...e, data: new Uint8Array(e.data) })), resolutionMs }),
    close: () => thread.close(),
  };
}
