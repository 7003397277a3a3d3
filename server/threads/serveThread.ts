import { parentPort, workerData } from 'node:worker_threads';

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
