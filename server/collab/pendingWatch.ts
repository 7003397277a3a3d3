import type * as Y from 'yjs';
import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { Fanout } from '../fanout/Fanout';
import type { Logger } from '../log';

/** The note a watch is for, read when it asks (the note's fields are set up after the watch). */
type WatchedNote = () => { sessionId: string; fanout: Pick<Fanout, 'requestWhole'>; log: Logger };

/** How long fan-out parts may wait for what they lack before the other processes are asked, then how the asking backs off. */
const ASK: Backoff = { firstMs: 2_000, maxMs: 60_000 };

/**
 * Watches a note for fan-out updates that cannot be integrated (Yjs keeps them pending, lacking an
 * earlier update of their writer) and, if they still wait after a while, asks the other processes
 * to publish the note whole, and says so (warn). Parts wait a moment when updates of several
 * processes cross; they wait for good when a message was lost without an outage being noticed
 * (garbled on the way, operator fault test, 6 Dec): every later update of that writer then waited
 * on this process, and its pages never saw them. Asked again with backoff while they still wait;
 * the answer brings what was lost.
 */
export function pendingWatch(doc: () => Y.Doc, note: WatchedNote): { check(): void; stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let asked = 0;
  const waiting = () => doc().store.pendingStructs !== null || doc().store.pendingDs !== null;
  const check = () => {
    if (timer) return;
    if (!waiting()) return void (asked = 0);
    timer = setTimeout(() => {
      timer = null;
      if (!waiting()) return void (asked = 0);
      const { sessionId, fanout, log } = note();
      log.warn('fan-out updates wait for one this process never received; asking the other processes for the note whole', { sessionId, n_attempt: asked + 1 });
      fanout.requestWhole?.(sessionId);
      asked++;
      check();
    }, backoffDelay(asked, ASK));
    timer.unref();
  };
  return { check, stop: () => timer && clearTimeout(timer) };
}
