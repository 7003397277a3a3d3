import fs from 'node:fs';
import path from 'node:path';
import type { Store } from '../ports';
import { StaleWriteError } from '../storageBoundary';
import { ThreadClient } from '../../threads/ThreadClient';
import { batchedLogWriter } from './logWrites';
import { TOP_LEVEL, type SqlitePorts } from './sqlitePorts';
import type { CallReply, SqliteRequest } from './sqliteProtocol';

/**
 * How long a read or unit of work waits for the SQLite thread by default (ms) before it fails as a
 * storage failure (503 at the HTTP edge). Far beyond any query's own time and SQLite's 5 s busy
 * timeout: what takes longer waits for a frozen or stalled disk.
 */
const CALL_TIMEOUT_MS = 10_000;

/**
 * Opens (creating and migrating) the SQLite database. `file` may be ':memory:'. One worker thread
 * (sqliteWorker.ts) holds the process's only connection and makes every read and write, so no
 * statement runs on the event loop: a disk that stalls stalls that thread, not the relaying of
 * keystrokes or the health check. The frequent writes (the notes' update log and its compactions,
 * audit records, login activity) are gathered here for a few milliseconds and committed together.
 * A read or unit of work unanswered after `callTimeoutMs` fails with code `TANDEM_THREAD_TIMEOUT`
 * (the thread skips it if it has not begun it by then; one already begun may still complete).
 */
export async function openSqliteStore(file: string, { callTimeoutMs = CALL_TIMEOUT_MS }: { callTimeoutMs?: number } = {}): Promise<Store> {
  if (file !== ':memory:') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    mustBeWritable(file);
  }
  const thread = new ThreadClient<SqliteRequest, unknown>(new URL('./sqliteWorker.ts', import.meta.url), { file });
  // Started now: loading its modules and migrating take a core for ~150 ms, which the first
  // request after start (a clinician opening a note) would otherwise wait behind.
  await thread.start().catch((err: unknown) => {
    throw new Error(`the SQLite database ${file} could not be opened and migrated: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  const listing = (await thread.request({ kind: 'describe' })) as Record<string, string[]>;
  const call = async (port: string, method: string, args: unknown[]): Promise<unknown> => {
    const request = { kind: 'call' as const, port, method, args, deadline: Date.now() + callTimeoutMs };
    const reply = (await thread.request(request, callTimeoutMs)) as CallReply;
    if ('stale' in reply) throw new StaleWriteError(reply.stale.kind, reply.stale.id);
    return reply.value;
  };
  // Built from the thread's own list of its methods, which come from the same store factories
  // (sqlitePorts.ts), so the shape is SqlitePorts by construction.
  const remote = Object.fromEntries(
    Object.entries(listing).map(([port, methods]) => [port, Object.fromEntries(methods.map((m) => [m, (...args: unknown[]) => call(port, m, args)]))]),
  ) as unknown as SqlitePorts;
  const writes = batchedLogWriter(thread);
  const { [TOP_LEVEL]: top, ...ports } = remote;
  return {
    ...ports,
    docs: { ...ports.docs, append: writes.append, compact: writes.compact },
    logins: { ...ports.logins, touch: writes.touchLogin },
    audit: { ...ports.audit, append: writes.audit },
    ping: top.ping,
    commit: top.commit,
    // Through the batches, the path every frequent write takes.
    checkWrite: () => writes.checkWrite(),
    close: () => thread.close(),
  };
}

/**
 * Fails the start with what to fix when the database cannot be written (a read-only mount or
 * file): SQLite opens such a file read-only and fails later, in the thread, with a bare code.
 */
function mustBeWritable(file: string): void {
  for (const target of [path.dirname(file), ...(fs.existsSync(file) ? [file] : [])]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
      throw new Error(`${target} cannot be written (${code}); Tandem keeps its database there: make it writable or set TANDEM_DATA_DIR`, { cause: err });
    }
  }
}
