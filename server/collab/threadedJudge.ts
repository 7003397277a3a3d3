import { IDLE_THREAD_MS, ThreadClient } from '../threads/ThreadClient';
import type { BigUpdateInput, BigUpdateJudgement, JudgeBigUpdate } from './bigUpdate';

/** A `JudgeBigUpdate` that runs on a worker thread; `close` stops the thread. */
export function threadedJudge(): { judge: JudgeBigUpdate; close(): Promise<void> } {
  const thread = new ThreadClient<BigUpdateInput, BigUpdateJudgement>(new URL('./bigUpdateWorker.ts', import.meta.url), null, { endWhenIdleMs: IDLE_THREAD_MS });
  return {
    // Exact copies: a view into a socket's buffer would post the whole buffer.
    judge: ({ state, update }) => thread.request({ state, update: new Uint8Array(update) }),
    close: () => thread.close(),
  };
}
