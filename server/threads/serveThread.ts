import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from './threadError';

/** Nice value of background threads (0 is the event loop's; 19 the lowest). */
const BACKGROUND_NICE = 10;

/**
 * For a thread whose work nobody waits on (folding a note's log): on Linux nice is per thread,
 * and lowering this one's lets the event loop that relays keystrokes win the core whenever both
 * want it (the server may have one core). Not for the log writer: "Saved" waits on it, and at
 * nice 10 its commits were held back by up to 0.4 s under load. Elsewhere a thread has no such
 * handle and keeps the default priority.
 */
export function runInBackground(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(fs.readlinkSync('/proc/thread-self'))?.[1]);
    if (tid) os.setPriority(tid, BACKGROUND_NICE);
  } catch {
    // Not Linux, or not permitted: the thread runs at the default priority.
  }
}

/**
 * The worker side of `ThreadClient`: says it is ready, then answers each request with the
 * handler's result, or with the error's name, message and code (the caller's log says what
 * failed, and the caller decides by the code whether storage refused or failed, and whether to retry).
 */
export function serveThread<Req, Res>(
  handler: (req: Req) => Promise<Res>,
  onClose: () => void = () => {},
): void {
  const port = parentPort;
  if (!port) throw new Error('serveThread must run in a worker thread');
  port.on('message', (message: { id: number; req: Req } | { close: true }) => {
    if ('close' in message) {
      onClose();
      port.close();
      return;
    }
    const { id, req } = message;
    handler(req).then(
      (result) => port.postMessage({ id, result }),
      (err: unknown) => port.postMessage({ id, error: toWireError(err) }),
    );
  });
  port.postMessage({ ready: true });
}

/** The data the thread was started with (`ThreadClient`'s second argument). */
export function threadData<T>(): T {
  return (workerData as { data: T }).data;
}
