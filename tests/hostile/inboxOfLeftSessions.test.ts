import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NoticesView } from '../../shared/domain/supervisor';
import type { NoticeRecord, Store } from '../../server/persistence/ports';
import { createClinic, createSession, expectStatus } from '../helpers/api';
import { startTestServer } from '../helpers/startTestServer';

// Attack, 6 Dec: the inbox read its newest `limit` notices, then twice as far, and again, until
// `limit` of sessions the person may still read were found. Notices of a session the person had
// left (a co-therapist flags for them, then takes them off the session) were all read on every
// look at the inbox: 50,000 of them held one SQLite server for 2.2 s per look, for everyone.
describe('the inbox of one with many notices of a session they left', async () => {
  let rowsRead = 0;
  const counting = (store: Store): Store => ({
    ...store,
    notices: { ...store.notices, list: async (...args: Parameters<Store['notices']['list']>) => {
      const rows = await store.notices.list(...args);
      rowsRead += rows.length;
      return rows;
    } },
  });
  const server = await startTestServer({ decorateStore: counting });
  const clinic = await createClinic(server.baseUrl);

  it('reads no more notices than it shows, and still shows the readable ones behind them', async () => {
    const readable = await createSession(clinic);
    const left = await createSession(clinic);
    const now = Date.now();
    const notice = (sessionId: string, at: number): NoticeRecord => ({ id: randomUUID(), accountId: clinic.b.id, kind: 'flag', sessionId, actorId: clinic.a.id, refId: null, createdAt: at, readAt: null });
    // One notice of a session B reads, then 1,000 flags for B in another (as many flags would make them).
    await server.store.notices.create([notice(readable, now - 10_000)]);
    await server.store.notices.create(Array.from({ length: 1000 }, (_, i) => notice(left, now - 5_000 + i)));
    await expectStatus(clinic.a.api.delete(`/api/sessions/${left}/members/${clinic.b.id}`), 204, 'B taken off');
    rowsRead = 0;
    const inbox = await expectStatus(clinic.b.api.get<NoticesView>('/api/notices?limit=20'), 200, 'inbox');
    expect(inbox.notices.map((n) => n.sessionId)).toEqual([readable]);
    expect(rowsRead).toBeLessThanOrEqual(20);
  });
});
