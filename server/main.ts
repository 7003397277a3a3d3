import { loadConfig } from './config';
import { startServer } from './createServer';

/** Entry point: `npm start` runs this after building the client. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  const stop = (signal: string) => {
    server.log.info(`received ${signal}; storing pending edits and closing connections`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        server.log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Tandem could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
