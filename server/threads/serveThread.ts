import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

/** Nice value of the worker threads (0 is the event loop's; 19 the lowest). */
const BACKGROUND_NICE = 10;

/**
 * The event loop relays keystrokes; worker threads store and fold them, which may wait a few ms.
 * On Linux nice is per thread: lowering the worker's lets the event loop win the core whenever
 * both want it (the server may have one). Elsewhere a thread has no such handle and keeps the
 * default priority.
 */
function yieldToEventLoop(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(fs.readlinkSync('/proc/thread-self'))?.[1]);
    if (tid) os.setPriority(tid, BACKGROUND_NICE);
  } catch {
    // Not Linux, or not permitted: the thread runs at the default priority.
  }
}

/**
 * The worker side of `ThreadClient`: answers each request with the handler's result, or with
 * the error's message (the caller's log says what failed and the caller decides to retry).
 */
export function serveThread<Req, Res>(
  handler: (req: Req) => Promise<Res>,
  onClose: () => void = () => {},
): void {
  const port = parentPort;
  if (!port) throw new Error('serveThread must run in a worker thread');
  yieldToEventLoop();
  port.on('message', (message: { id: number; req: Req } | { close: true }) => {
    if ('close' in message) {
      onClose();
      port.close();
      return;
    }
    const { id, req } = message;
    handler(req).then(
      (result) => port.postMessage({ id, result }),
      (err: unknown) => port.postMessage({ id, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

/** The data the thread was started with (`ThreadClient`'s second argument). */
export function threadData<T>(): T {
  return (workerData as { data: T }).data;
}
