import net from 'node:net';
import pg from 'pg';
import { DEFAULT_POSTGRES_TIMEOUTS, type PostgresTimeouts } from '../../config';
import { begin, commit } from './commitOutcome';

/** int8 (bigint, bigserial) arrives as a string by default; ours are ms timestamps and row ids. */
const INT8_OID = 20;

/** Each pooled client's bounds, for `lockDoc` (a PoolClient does not name its pool). */
const poolTimeouts = new WeakMap<pg.ClientBase, PostgresTimeouts>();

/** What pg's client-side `query_timeout` rejects with: the connection is left mid-query, unusable. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/** Whether `err` is pg's client-side query timeout (the connection must be destroyed, not reused). */
export function isQueryReadTimeout(err: unknown): boolean {
  return err instanceof Error && err.message === QUERY_READ_TIMEOUT;
}

/**
 * A socket whose 'data' listeners cannot end the process: pg's protocol parser reads the server's
 * bytes in such a listener and throws on bytes that are not the protocol, outside any promise
 * (operator fault test, 3 Dec: a link flipping bytes ended the process with pg-protocol's
 * `RangeError [ERR_OUT_OF_RANGE]`). The socket is destroyed with that error instead, so the
 * connection fails as a lost one does: its query rejects and the pool drops it. Over TLS
 * (`sslmode`), which checks every byte, garbled bytes never reach the parser.
 */
class ParserSafeSocket extends net.Socket {
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'data') return super.emit(event, ...args);
    try {
      return super.emit(event, ...args);
    } catch (err) {
      this.destroy(err instanceof Error ? err : new Error(String(err)));
      return true;
    }
  }
}

/**
 * A pool reading int8 as a JS number. The parser is set per pool, not with pg's global
 * `types.setTypeParser`, so nothing leaks into other users of `pg` in the same process.
 * `onIdleError` hears of connections that died while idle in the pool (the pool drops them).
 *
 * Every wait is bounded, so one silent connection cannot freeze a note (its lock holder never
 * answering) or the process: the server ends a statement after `statementMs`, a lock wait after
 * `lockMs` and a transaction idle for `statementMs` (releasing the locks of a client that went
 * silent mid-transaction); the client gives up on a query a second after the server would have
 * (the server or the link is silent), and TCP keepalive finds a dead link among idle sockets.
 * pg-pool destroys a client whose `pool.query` failed; `inTransaction` does so for a timed-out one.
 */
export function createPool(url: string, onIdleError: (err: Error) => void, timeouts: PostgresTimeouts = DEFAULT_POSTGRES_TIMEOUTS): pg.Pool {
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;
  const pool = new pg.Pool({
    connectionString: url,
    types: { getTypeParser },
    // Fail a request instead of queueing it forever when the pool cannot reach the database.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.statementMs,
    query_timeout: timeouts.statementMs + 1_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    stream: () => new ParserSafeSocket(),
  });
  // Unhandled, this 'error' would end the process; the next query gets a fresh connection.
  pool.on('error', onIdleError);
  pool.on('connect', (client) => poolTimeouts.set(client, timeouts));
  return pool;
}

/** Isolation levels we use: the default, and one snapshot for multi-statement reads. */
export type Isolation = 'READ COMMITTED' | 'REPEATABLE READ';

/**
 * Runs `fn` in one transaction on one pooled client; rolls back on any error.
 *
 * While a client is checked out the pool does not listen for its 'error', and pg emits one
 * whenever the connection dies (a restart of PostgreSQL, `pg_terminate_backend`, a TCP reset),
 * between queries as well as during one; unheard, that would end the process. Here it is noted
 * (the query in flight rejects by itself, and so does the operation) and the client is released
 * with it, so the pool closes it instead of handing it out again. Callers retry on a fresh one
 * (the persist queue does, with backoff).
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  opts: { isolation?: Isolation; readOnly?: boolean } = {},
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken ??= err;
  };
  client.on('error', onError);
  try {
    const xid = await begin(client, `BEGIN ISOLATION LEVEL ${opts.isolation ?? 'READ COMMITTED'}${opts.readOnly ? ' READ ONLY' : ''}`, opts.readOnly ?? false);
    const result = await fn(client);
    await commit(pool, client, xid, (err) => {
      broken ??= err;
    });
    return result;
  } catch (err) {
    // A query that timed out on the client leaves the connection mid-query: a ROLLBACK would
    // queue behind it, and the server ends the idle transaction (and its locks) by itself.
    if (isQueryReadTimeout(err)) broken ??= err as Error;
    // A dead connection has nothing to roll back: PostgreSQL aborted the transaction with it.
    if (!broken) {
      await client.query('ROLLBACK').catch((rollbackErr: unknown) => {
        broken = rollbackErr instanceof Error ? rollbackErr : new Error(String(rollbackErr));
      });
    }
    throw err;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

/**
 * Two-key advisory locks (namespace, object) for whole-database steps. PostgreSQL keeps the
 * one-bigint and the two-int4 key spaces apart, so these never collide with per-document locks.
 */
const LOCK_NAMESPACE = 0x54616e64; // "Tand"
export const Locks = { migrate: 1, firstAccount: 2 } as const;

/**
 * Holds a whole-database lock until the transaction ends. `boundMs`: how long the client waits for
 * it, where that must differ from the pool's query timeout (a start waiting for another's migration).
 */
export async function lockGlobal(client: pg.PoolClient, which: (typeof Locks)[keyof typeof Locks], boundMs?: number): Promise<void> {
  // pg reads a per-query `query_timeout` (client.js) though its types do not list it.
  const query: pg.QueryConfig<[number, number]> & { query_timeout?: number } = {
    text: 'SELECT pg_advisory_xact_lock($1::int4, $2::int4)', values: [LOCK_NAMESPACE, which], ...(boundMs ? { query_timeout: boundMs } : {}),
  };
  await client.query(query);
}

/**
 * Serializes writers of one document until the transaction ends. Appends hold it while their
 * rows get their `seq` and commit, so within one document seq order is commit order.
 */
export async function lockDoc(client: pg.PoolClient, docId: string): Promise<void> {
  const { statementMs, lockMs } = poolTimeouts.get(client) ?? DEFAULT_POSTGRES_TIMEOUTS;
  // The wait for the lock is bounded by the lock timeout alone: behind a slow but live holder,
  // a writer cancelled by the statement timeout gives up its place in the queue and retries with
  // a bigger batch, and may never get through. One round trip (a simple query: several
  // statements, so the id goes in as a literal), with a client-side bound to match.
  const lockQuery: pg.QueryConfig & { query_timeout: number } = {
    text: `SET LOCAL statement_timeout = ${lockMs + 1_000}; SELECT pg_advisory_xact_lock(hashtextextended('tandem:doc:' || ${client.escapeLiteral(docId)}, 0)); SET LOCAL statement_timeout = ${statementMs}`,
    query_timeout: Math.max(lockMs, statementMs) + 2_000,
  };
  await client.query(lockQuery);
}

/** Views (no copy) between pg's Buffers and the Uint8Arrays of the ports. */
export const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
export const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
