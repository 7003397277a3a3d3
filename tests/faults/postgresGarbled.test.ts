import { expect, it } from 'vitest';
import { createPool } from '../../server/persistence/postgres/db';
import { startFaultProxy } from '../helpers/faultProxy';
import { deferCleanup, describeWith, Postgres, serviceUrl } from '../helpers/services';

/** A DataRow message that says it holds five fields and holds none: pg-protocol reads past the bytes it has. */
const SHORT_DATA_ROW = Buffer.from([0x44, 0, 0, 0, 6, 0, 5]);
/** An ErrorResponse whose length is far beyond the bytes that follow. */
const OVERLONG_ERROR = Buffer.from([0x45, 0x7f, 0xff, 0xff, 0xff, 0x53]);
/** A message type PostgreSQL never sends, with a length shorter than its own header. */
const UNKNOWN_TYPE = Buffer.from([0x21, 0, 0, 0, 1, 0xff, 0xff]);

// Operator fault test, 3 Dec: a link that flipped bytes in PostgreSQL's replies ended the process
// twice (pg-protocol threw RangeError out of its socket listener, past every promise).
describeWith([Postgres], 'PostgreSQL replies garbled on the way (a faulty middlebox)', () => {
  it('fail the query they answer and drop that connection; the process goes on and the next query works', async () => {
    const proxy = await startFaultProxy(serviceUrl(Postgres));
    // A garbled reply pg takes for an unfinished message leaves the query waiting for the rest:
    // then the client's own bound (statement bound + 1 s) ends it.
    const pool = createPool(proxy.url, () => {}, { statementMs: 2_000, lockMs: 4_000 });
    deferCleanup(() => pool.end());
    expect((await pool.query('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
    for (const garbage of [SHORT_DATA_ROW, OVERLONG_ERROR, UNKNOWN_TYPE]) {
      proxy.replaceNextReply(garbage);
      const outcome = await pool.query('SELECT 2 AS n').then((r) => r.rows, (err: unknown) => err);
      // Whatever pg makes of these bytes, the query settles and the pool answers the next one.
      expect(outcome).not.toEqual([{ n: 2 }]);
      expect((await pool.query('SELECT 3 AS n')).rows).toEqual([{ n: 3 }]);
    }
  });
});
