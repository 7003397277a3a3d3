import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createLogger } from '../../server/log';
import { openPostgresStore } from '../../server/persistence/postgres/PostgresStore';
import { startFaultProxy } from '../helpers/faultProxy';
import { createClinic } from '../helpers/api';
import { liveGroupWithLine } from '../helpers/connectClient';
import { deferCleanup, describeWith, freshPostgresSchema, Postgres } from '../helpers/services';
import { startTestServer } from '../helpers/startTestServer';

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

describeWith([Postgres], 'round trips to PostgreSQL of the clinical steps', () => {
  // Attack, 7 Dec: at 200 ms a packet every round trip is a wait, and a signature read the same
  // rows again from each check it passed through.
  it('ends a group session and locks it with a second signature in few round trips', async () => {
    const { url } = await freshPostgresSchema();
    const proxy = await startFaultProxy(url);
    const server = await startTestServer({ env: { DATABASE_URL: proxy.url } });
    const clinic = await createClinic(server.baseUrl);
    let trips = 0;
    proxy.tap((_conn, chunk, fromClient) => {
      if (fromClient) return;
      for (let i = chunk.indexOf(READY_FOR_QUERY); i >= 0; i = chunk.indexOf(READY_FOR_QUERY, i + 1)) trips++;
    });
    /** Round trips to PostgreSQL while `request` is answered (the server's own timers may add one). */
    const tripsOf = async (what: string, request: () => Promise<{ status: number }>) => {
      const before = trips;
      expect((await request()).status, what).toBe(200);
      return trips - before;
    };
    const { id } = await liveGroupWithLine(server.baseUrl, clinic, 'M1 spoke first; M2 listened.');
    const ending = await tripsOf('end', () => clinic.a.api.post(`/api/sessions/${id}/end`));
    const first = await tripsOf('first signature', () => clinic.a.api.post(`/api/sessions/${id}/sign`));
    const second = await tripsOf('second signature', () => clinic.b.api.post(`/api/sessions/${id}/sign`));
    console.log(`[figures] round trips: end of a group session (2 member notes) ${ending}, first signature ${first}, second (the lock) ${second}`);
    // Before (7 Dec): 41 and 42, the session's members read six times in each, their accounts six;
    // each read is now made once per request (persistence/readsOnce.ts): 31 and 32.
    expect(first).toBeLessThanOrEqual(35);
    expect(second).toBeLessThanOrEqual(35);
  });
});
