import pg from 'pg';
import { backoffDelay } from '../../../shared/backoff';
import { CommitOutcomeUnknownError } from '../storageBoundary';

/**
 * How often an unanswered COMMIT's transaction is asked after while PostgreSQL still has it in
 * progress (its backend not yet done with the COMMIT, or not yet aware its client is gone), and
 * the waits between: about 3 s in all.
 */
const STATUS_ASKS = 6;
const STATUS_WAIT = { firstMs: 100, maxMs: 1_000 };

/**
 * BEGIN, in one round trip with the id PostgreSQL gave the transaction, which is what tells later
 * whether a COMMIT whose answer never came was done. Read-only ones are not asked after (and get no id).
 */
export async function begin(client: pg.PoolClient, statement: string, readOnly: boolean): Promise<string | null> {
  if (readOnly) {
    await client.query(statement);
    return null;
  }
  // A simple query of two statements resolves with one result each; pg's types know only one.
  const results = (await client.query(`${statement}; SELECT pg_current_xact_id()::text AS xid`)) as unknown as pg.QueryResult<{ xid: string }>[];
  return results[1]?.rows[0]?.xid ?? null;
}

/**
 * COMMIT; when its answer is lost with the connection (a reset, a restart of PostgreSQL, a link
 * gone silent past the query timeout), the transaction may well be stored: seen in the fault
 * attack of 6 Dec, the second signature locked the note, with its audit record, and its signer was
 * told 503 "could not do this", then 409 "Cannot sign a session that is signed". The transaction is
 * looked up by its id on another connection: stored, the COMMIT resolves; rolled back, the
 * connection's error stands; not to be told (PostgreSQL away, or the transaction still in progress
 * after every ask), {@link CommitOutcomeUnknownError}. An error PostgreSQL answered with is an answer:
 * nothing was stored. `connectionLost` hears of a connection that died at the COMMIT (the pool must drop it).
 */
export async function commit(pool: pg.Pool, client: pg.PoolClient, xid: string | null, connectionLost: (err: Error) => void): Promise<void> {
  try {
    await client.query('COMMIT');
  } catch (err) {
    if (err instanceof pg.DatabaseError) throw err;
    // Whatever became of the transaction, this connection is done with: the pool must not reuse it.
    connectionLost(err instanceof Error ? err : new Error(String(err)));
    if (xid === null) throw err;
    const status = await statusOf(pool, xid);
    if (status === 'committed') return;
    if (status === 'aborted') throw err;
    throw new CommitOutcomeUnknownError(err);
  }
}

async function statusOf(pool: pg.Pool, xid: string): Promise<string | null> {
  for (let ask = 0; ask < STATUS_ASKS; ask++) {
    if (ask > 0) await new Promise((resolve) => setTimeout(resolve, backoffDelay(ask - 1, STATUS_WAIT)));
    const answer = await pool.query<{ status: string | null }>('SELECT pg_xact_status($1::xid8) AS status', [xid]).catch(() => null);
    const status = answer?.rows[0]?.status ?? null;
    if (status !== 'in progress') return status;
  }
  return null;
}
