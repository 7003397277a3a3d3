// What the main thread and the SQLite thread (sqliteWorker.ts) say to each other.
import type { AtomicWrite } from '../ports';
import type { LogWrite } from './sqliteLogWriter';

/** A port method called on the thread; not started once `deadline` (epoch ms) has passed, since its caller no longer waits. */
export type PortCall = { kind: 'call'; port: string; method: string; args: unknown[]; deadline: number };

/** What the SQLite thread is asked: a write the main thread gathered (LogWrite), a port call, or the list of port methods. */
export type SqliteRequest = LogWrite | PortCall | { kind: 'describe' };

/**
 * A port call's outcome. A unit of work that found its row changed travels as `stale`, to be
 * thrown again as a StaleWriteError, which callers tell apart from a failure by its class.
 */
export type CallReply = { value: unknown } | { stale: { kind: AtomicWrite['kind']; id: string } };
