/**
 * Shared by the launchers: each runs one server under test as its own process, prints
 * `{"listening": port}` once it accepts connections, and exits cleanly on SIGTERM after its
 * storage is flushed (so a restart reads everything that was acknowledged).
 */

/** Logging off, as for every system: informational console output is dropped. */
export function silenceConsole(): void {
  const quiet = (): void => {};
  console.log = quiet;
  console.info = quiet;
  console.debug = quiet;
}

export function announceListening(port: number): void {
  process.stdout.write(`${JSON.stringify({ listening: port })}\n`);
}

/** Runs `close` once on SIGTERM/SIGINT, then exits (1 if closing failed). */
export function onShutdown(close: () => Promise<void>): void {
  let closing = false;
  const handler = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shutdown failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

/** Same websocket settings for every system: no compression, loopback only. */
export const WS_OPTIONS = { perMessageDeflate: false } as const;
export const HOST = '127.0.0.1';
