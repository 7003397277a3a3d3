/**
 * Worker thread entry: the process's one connection to the SQLite database (see openSqliteStore).
 * Every read, unit of work and write is made here, none on the event loop. A statement that waits
 * (for an fsync, for another program's lock, or for a frozen or stalled disk, whose page faults in
 * SQLite's shared-memory WAL index block the thread that touches it) holds up this thread only:
 * the event loop goes on relaying keystrokes and answering /healthz. Being the only connection in
 * the process, it never waits on another of ours for a lock.
 */
import { serveThread, threadData } from '../../threads/serveThread';
import { StaleWriteError } from '../storageBoundary';
import { fileIdentity } from './fileIdentity';
import { migrate } from './migrate';
import { openDatabase, sqliteLogWriter, useIncrementalVacuum } from './sqliteLogWriter';
import { sqlitePorts } from './sqlitePorts';
import type { CallReply, PortCall, SqliteRequest } from './sqliteProtocol';

const { file } = threadData<{ file: string }>();
const db = openDatabase(file);
useIncrementalVacuum(db);
migrate(db);
const writer = sqliteLogWriter(db);
// Port name → method name → method: looked up by the names the main thread sends.
const ports = sqlitePorts(db, writer) as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
const stillOurs = file === ':memory:' ? () => {} : fileIdentity(file);

async function call({ port, method, args, deadline }: PortCall): Promise<CallReply> {
  if (Date.now() > deadline) throw new Error(`${port}.${method} was not run: its caller stopped waiting`);
  const fn = ports[port]?.[method];
  if (typeof fn !== 'function') throw new Error(`the SQLite store has no method ${port}.${method}`);
  try {
    return { value: await fn(...args) };
  } catch (err) {
    if (err instanceof StaleWriteError) return { stale: { kind: err.kind, id: err.id } };
    throw err;
  }
}

serveThread<SqliteRequest, unknown>(
  async (req) => {
    if (req.kind === 'describe') return Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, Object.keys(port)]));
    stillOurs();
    if (req.kind === 'call') return call(req);
    return writer.write(req);
  },
  // Closing (not just ending the thread) lets SQLite checkpoint the WAL and remove it; the free
  // pages kept for new rows go back to the file system first.
  () => {
    writer.reclaimAll();
    db.close();
  },
);
