import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { openPostgresStore } from '../../server/persistence/postgres/PostgresStore';
import { startFaultProxy } from '../helpers/faultProxy';
import { deferCleanup, describeWith, freshPostgresSchema, Postgres } from '../helpers/services';

/** PostgreSQL's ReadyForQuery message: one ends every round trip (a query, or a transaction's BEGIN or COMMIT). */
const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]);

/**
 * Over a crawling link every round trip is a wait (attack, 6 Dec: at 200 ms a packet, signing
 * took 16 s and ending a group session 19 s). A note is read to sign it, to export it, to end a
 * group session (its member notes) and at every cold open; each read took four round trips, a
 * read-only transaction around two queries.
 */
describeWith([Postgres], 'round trips to PostgreSQL', () => {
  it('reads a note, snapshot and log, in one round trip', async () => {
    const { url } = await freshPostgresSchema();
    const proxy = await startFaultProxy(url);
    const store = await openPostgresStore(proxy.url, createLogger('silent'));
    deferCleanup(() => store.close());
    let trips = 0;
    proxy.tap((_conn, chunk, fromClient) => {
      if (fromClient) return;
      for (let i = chunk.indexOf(READY_FOR_QUERY); i >= 0; i = chunk.indexOf(READY_FOR_QUERY, i + 1)) trips++;
    });
    const docId = randomUUID();
    const entry = (at: number) => ({ at, accountId: null, data: new Uint8Array([at]) });
    await store.docs.append(docId, [1, 2, 3].map(entry));
    const log = await store.docs.readLog(docId);
    await store.docs.compact(docId, { uptoSeq: log[1]!.seq, data: new Uint8Array([9]), meta: null }, [], 0);
    await store.docs.append(docId, [4].map(entry));

    const before = trips;
    const stored = await store.docs.load(docId);
    expect(trips - before).toBe(1);
    expect(stored.snapshot).toMatchObject({ uptoSeq: log[1]!.seq, data: new Uint8Array([9]), meta: null });
    expect(stored.tail.map((e) => [e.at, Array.from(e.data)])).toEqual([[3, [3]], [4, [4]]]);
  });
});
