import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CommentView, ReviewView } from '../../shared/domain/review';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { ApiClient, createClinic, createSession, expectStatus, type Person } from '../helpers/api';
import { appendParagraph, connectClient, noteText, serverText, type TestClient } from '../helpers/connectClient';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { healthOf } from '../helpers/health';
import { openLiveStream } from '../helpers/liveStream';
import { tagSpan } from '../helpers/noteOps';
import type { ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster } from './cluster';

/**
 * What one process tells the others over Redis (a note locked, a member removed, a comment made)
 * is lost when its Redis link is down at that moment, and a re-check that meets the store down
 * fails. Both must be made good once the link or the store is back, without anyone acting again.
 */
describeWith([Postgres, Redis], 'changes told across processes while a link was down', async () => {
  // Each process reaches Redis and PostgreSQL through proxies of its own, so one link fails alone.
  const redisLinks: FaultProxy[] = [];
  const storeLinks: FaultProxy[] = [];
  const cluster = await startCluster(2, {
    via: async (urls, i) => {
      redisLinks[i] = await startFaultProxy(urls.redisUrl);
      storeLinks[i] = await startFaultProxy(urls.databaseUrl);
      return { redisUrl: redisLinks[i].url, databaseUrl: storeLinks[i].url };
    },
  });
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);
  const onP2 = (person: Person) => Object.assign(new ApiClient(p2.baseUrl), { cookie: person.api.cookie });
  const closedWith = (client: TestClient, code: number) => client.closes.some((c) => c.code === code);
  const lastAccess = (client: TestClient) => client.notices.filter((n) => n.type === 'access').at(-1);

  /** Runs `during` while process `i` (0: p1, 1: p2) cannot reach Redis, then gives the link back. */
  async function whileCutOffFromRedis(i: 0 | 1, during: () => Promise<void>): Promise<void> {
    const { baseUrl } = cluster.servers[i]!;
    redisLinks[i]!.cut();
    await expect.poll(() => healthOf(baseUrl), { timeout: 15_000 }).toMatchObject({ redis: 'down' });
    try {
      await during();
    } finally {
      redisLinks[i]!.heal();
      await expect.poll(() => healthOf(baseUrl), { timeout: 30_000 }).toMatchObject({ status: 200, redis: 'up' });
    }
  }
  /** Runs `change` on p1 while p1 cannot reach Redis. */
  const whileP1CutOffFromRedis = (change: () => Promise<void>) => whileCutOffFromRedis(0, change);
  /** Runs `during` while p2, where the clients are, cannot reach Redis. */
  const whileP2CutOffFromRedis = (during: () => Promise<void>) => whileCutOffFromRedis(1, during);

  it('locks a note signed on a process that could not reach Redis, on the process where its writer is', async () => {
    const sessionId = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const a = connectClient(p2.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'written before the end');
    await expect.poll(() => a.isSaved()).toBe(true);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/end`), 200, 'end');
    await whileP1CutOffFromRedis(async () => {
      await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/sign`), 200, 'A signs on p1');
      await expectStatus(clinic.b.api.post(`/api/sessions/${sessionId}/sign`), 200, 'B signs on p1');
    });
    // The writer's connection on p2 was closed and came back read-only.
    await expect.poll(() => closedWith(a, CloseCode.AccessChanged), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => lastAccess(a), { timeout: 30_000 }).toMatchObject({ canWrite: false });
  });

  it('closes the sockets of members removed on a process that could not reach Redis', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    const supervisor = connectClient(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => b.provider.synced && supervisor.provider.synced).toBe(true);
    await whileP1CutOffFromRedis(async () => {
      for (const who of [clinic.b, clinic.supervisor]) await expectStatus(clinic.a.api.delete(`/api/sessions/${sessionId}/members/${who.id}`), 204, `remove ${who.name}`);
    });
    await expect.poll(() => closedWith(b, CloseCode.Forbidden) && closedWith(supervisor, CloseCode.Forbidden), { timeout: 30_000 }).toBe(true);
  });

  // Attack (4 Dec): a supervisor's page on the process that had not heard of the lock was sent
  // words typed after it, which storage then refused.
  it('shows nobody words typed after a lock the process could not hear of, and closes the note there while Redis is still away', async () => {
    const sessionId = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const a = connectClient(p2.baseUrl, sessionId, clinic.a.api.cookie);
    const supervisor = connectClient(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => a.provider.synced && supervisor.provider.synced).toBe(true);
    appendParagraph(a.doc, 'written before the end');
    await expect.poll(() => a.isSaved()).toBe(true);
    await expect.poll(() => noteText(supervisor.doc)).toContain('written before the end');
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/end`), 200, 'end');
    // The end closes the sockets here (4205); both come back before the link is cut.
    const back = (c: TestClient) => closedWith(c, CloseCode.AccessChanged) && c.provider.wsconnected && c.provider.synced;
    await expect.poll(() => back(a) && back(supervisor), { timeout: 15_000 }).toBe(true);
    await whileP2CutOffFromRedis(async () => {
      await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/sign`), 200, 'A signs on p1');
      await expectStatus(clinic.b.api.post(`/api/sessions/${sessionId}/sign`), 200, 'B signs on p1');
      appendParagraph(a.doc, 'typed after the lock');
      await expect.poll(() => lastAccess(a), { timeout: 15_000 }).toMatchObject({ canWrite: false });
      await expect.poll(() => supervisor.closes.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    });
    expect(noteText(supervisor.doc)).toContain('written before the end');
    expect(noteText(supervisor.doc)).not.toContain('typed after the lock');
    expect(await serverText(p1.baseUrl, sessionId, clinic.supervisor.api.cookie)).not.toContain('typed after the lock');
  });

  // Attack (4 Dec): A, on a process whose Redis was cut, wrote under the Yjs client id B was
  // writing with on the other process; her words stood under B's name and replaced B's saved words.
  it('refuses words written under a client id another account holds, though the process could not hear of it', async () => {
    const sessionId = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    // The note is open on p1 before its link is cut, so p1 never hears of what B writes on p2.
    const watcher = connectClient(p1.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => watcher.provider.synced).toBe(true);
    await whileP1CutOffFromRedis(async () => {
      const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
      await expect.poll(() => b.provider.synced).toBe(true);
      appendParagraph(b.doc, 'M reported thoughts of self-harm; safety plan made.');
      await expect.poll(() => b.isSaved()).toBe(true);
      // A's client writes under B's id on p1, where that id is free as far as p1 knows.
      const forged = new Y.Doc();
      forged.clientID = b.doc.clientID;
      const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie, { doc: forged });
      await expect.poll(() => a.provider.synced).toBe(true);
      appendParagraph(forged, 'No risk indicators; no follow-up needed.');
      // Storage refuses it; p1 drops its copy of the note and serves it as stored.
      await expect.poll(() => p1.output.join('\n'), { timeout: 15_000 }).toContain('a writer claimed a Yjs client id another account holds');
      await expect.poll(() => closedWith(a, CloseCode.AccessChanged), { timeout: 15_000 }).toBe(true);
      for (const p of [p1, p2]) {
        const text = await serverText(p.baseUrl, sessionId, clinic.supervisor.api.cookie);
        expect(text).toContain('M reported thoughts of self-harm; safety plan made.');
        expect(text).not.toContain('No risk indicators');
      }
    });
    const review = await expectStatus(clinic.supervisor.api.get(`/api/sessions/${sessionId}/review`), 200, 'review');
    expect(JSON.stringify(review)).toContain('M reported thoughts of self-harm');
    expect(JSON.stringify(review)).not.toContain('No risk indicators');
  });

  // Attack (4 Dec): A wrote, on the process that could not hear of it, an observation under the id of
  // B's new one; once the processes met again hers had replaced his.
  it('refuses an observation under the id of the co-therapist’s, though the process had not heard of his', async () => {
    const sessionId = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    let hisId = '';
    await whileP1CutOffFromRedis(async () => {
      const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
      await expect.poll(() => b.provider.synced).toBe(true);
      appendParagraph(b.doc, 'M2 went quiet when her father came up');
      const his = tagSpan(b.doc, 'went quiet', { authorId: clinic.b.id, tags: ['affect'] });
      await expect.poll(() => b.isSaved()).toBe(true);
      hisId = his.id;
      expect(sessionDoc(a.doc).observations.has(his.id)).toBe(false);
      sessionDoc(a.doc).observations.set(his.id, { ...his, authorId: clinic.a.id, tags: ['risk-safety'] });
      await expect.poll(() => a.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'observation_immutable' });
    });
    const review = await expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`), 200, 'review');
    expect(review.observations.find((o) => o.id === hisId)).toMatchObject({ authorId: clinic.b.id, tags: [{ id: 'affect' }] });
  });

  it('closes within seconds, while Redis is still away, the sockets of a member removed on another process', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    await whileP2CutOffFromRedis(async () => {
      await expectStatus(clinic.a.api.delete(`/api/sessions/${sessionId}/members/${clinic.b.id}`), 204, 'remove B on p1');
      // Every process re-checks every 30 s; while its Redis is away, every 2 s.
      await expect.poll(() => closedWith(b, CloseCode.Forbidden), { timeout: 10_000 }).toBe(true);
    });
  });

  it('has the pages on the other process read again when a comment’s live event was lost', async () => {
    const sessionId = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const writer = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, 'M1 laughed at school');
    const obs = tagSpan(writer.doc, 'laughed', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => writer.isSaved()).toBe(true);
    const bPage = openLiveStream(onP2(clinic.b));
    await expect.poll(() => bPage.open()).toBe(true);
    await whileP1CutOffFromRedis(async () => {
      await expectStatus(
        clinic.supervisor.api.post<CommentView>(`/api/sessions/${sessionId}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'Say more?' }),
        201,
        'comment on p1',
      );
    });
    // The event itself is gone; the stream is ended so the page reconnects and reads everything.
    await expect.poll(() => bPage.ended(), { timeout: 30_000 }).toBe(true);
    expect(bPage.events).not.toContainEqual({ type: 'comments', sessionId });
  });

  it('re-checks again, after a wait, when the store could not answer the first re-check', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    storeLinks[1]!.cut();
    await expect.poll(() => healthOf(p2.baseUrl), { timeout: 15_000 }).toMatchObject({ store: 'down' });
    await expectStatus(clinic.a.api.delete(`/api/sessions/${sessionId}/members/${clinic.b.id}`), 204, 'remove B on p1');
    // p2 heard of it and its re-check failed; only then does the store come back.
    await expect.poll(() => p2.output.join('\n'), { timeout: 30_000 }).toContain('re-checking access after a change on another process failed');
    storeLinks[1]!.heal();
    await expect.poll(() => closedWith(b, CloseCode.Forbidden), { timeout: 30_000 }).toBe(true);
  });
});
