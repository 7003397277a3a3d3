import { loadConfig } from './config';
import { startServer } from './createServer';
import { StorageError } from './persistence/storageBoundary';

/** Entry point: `npm start` runs this after building the client. */
async function main(): Promise<void> {
  const config = loadConfig();
  const server = await startServer(config);
  const stop = (signal: string) => {
    server.log.info(`received ${signal}; storing pending edits and closing connections`);
    // With the database away its writers retry without end, and a process told to stop did not
    // (re-check, 4 Dec: over 15 s, until killed). Past the grace it exits: edits not stored were
    // never confirmed, and their clients keep and send them again.
    setTimeout(() => {
      server.log.error('stopping: storage did not take what is pending in time; exiting without it (unconfirmed edits stay with their clients)', { ms: config.stopGraceMs });
      process.exit(1);
    }, config.stopGraceMs).unref();
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
  // A closed terminal hangs up: stored, not cut off (Node's default for SIGHUP is to exit at once).
  process.once('SIGHUP', () => stop('SIGHUP'));
}

main().catch((err: unknown) => {
  // A store operation failing after the migration (reading the codebook, say) names its operation only.
  const what = err instanceof StorageError ? `the database failed as the server started: ${err.message}` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`Tandem could not start: ${what}\n`);
  process.exit(1);
});
