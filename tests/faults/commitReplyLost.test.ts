import { expect, it } from 'vitest';
import type { NoticesView } from '../../shared/domain/supervisor';
import type { CommentView } from '../../shared/domain/review';
import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Clinic } from '../helpers/api';
import { failAtCommit } from '../helpers/commitFaults';
import { appendParagraph, liveSession } from '../helpers/connectClient';
import { healthOf } from '../helpers/health';
import { tagSpan } from '../helpers/noteOps';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning, type ServerProcess } from '../helpers/startTestServer';
import { proxiedProcess } from './proxied';

/** An ended session of A and B, both with the note open, signed by A: B's signature locks it. */
async function signedByA(p1: ServerProcess, clinic: Clinic) {
  const { id, a, b } = await liveSession(p1.baseUrl, clinic);
  appendParagraph(a.doc, 'Client described the week.');
  await expect.poll(() => a.isSaved() && b.text().includes('described')).toBe(true);
  expect((await clinic.a.api.post(`/api/sessions/${id}/end`, {})).status).toBe(200);
  expect((await clinic.a.api.post(`/api/sessions/${id}/sign`, {})).status).toBe(200);
  return { id, a, b };
}

const auditOf = async (clinic: Clinic, id: string, action: string) =>
  (await clinic.admin.api.get<{ action: string; detail: Record<string, unknown> }[]>(`/api/audit?sessionId=${id}&limit=100`)).body.filter((e) => e.action === action);

// Fault attack, 6 Dec: a COMMIT's answer lost with its connection (a reset, PostgreSQL restarting)
// after PostgreSQL had stored the transaction. B's second signature locked the note with its audit
// record, and B was told 503 "could not do this", then 409 "Cannot sign a session that is signed";
// the open copies were not sent to reconnect; the same when the connection of the read after the
// COMMIT was lost (lifecycle.ts move). A supervisor's comment was stored and audited, answered
// 503, and the therapists were not told of it.
describeWith([Postgres, Redis], 'PostgreSQL stores a transaction whose COMMIT the process never hears answered', () => {
  it.each(['answer', 'next query'] as const)('the second signature, the connection lost at the COMMIT’s %s: answered as the lock it is, and the open copies are sent to reconnect', async (at) => {
    const { p1, proxy, clinic } = await proxiedProcess('databaseUrl');
    const { id, a, b } = await signedByA(p1, clinic);
    const cut = failAtCommit(proxy, '"locked":true', { at });
    const signed = await clinic.b.api.post(`/api/sessions/${id}/sign`, {});
    expect(cut.hit()).toBe(true);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', locked: true, waitingFor: [] });
    expect(await auditOf(clinic, id, 'session_signed')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ locked: true }) }),
      expect.objectContaining({ detail: expect.objectContaining({ locked: false }) }),
    ]);
    for (const copy of [a, b]) await expect.poll(() => copy.closes.map((c) => c.code)).toContain(CloseCode.AccessChanged);
    await expect.poll(() => healthOf(p1.baseUrl)).toMatchObject({ status: 200, store: 'up' });
    expect(isRunning(p1)).toBe(true);
  }, 60_000);

  it('a supervisor’s comment: answered 201 once, and the therapists are told of it', async () => {
    const { p1, proxy, clinic } = await proxiedProcess('databaseUrl');
    const { id, a } = await liveSession(p1.baseUrl, clinic);
    appendParagraph(a.doc, 'M1 laughed when the topic turned to school');
    const obs = tagSpan(a.doc, 'laughed', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => a.isSaved()).toBe(true);
    const cut = failAtCommit(proxy, 'comment_added');
    const posted = await clinic.supervisor.api.post<CommentView>(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'What did the laugh cover?' });
    expect(cut.hit()).toBe(true);
    expect(posted.status).toBe(201);
    const listed = (await clinic.a.api.get<CommentView[]>(`/api/sessions/${id}/comments`)).body;
    expect(listed.map((c) => c.id)).toEqual([posted.body.id]);
    expect(await auditOf(clinic, id, 'comment_added')).toHaveLength(1);
    for (const therapist of [clinic.a, clinic.b]) {
      await expect.poll(async () => (await therapist.api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === id).map((n) => n.kind)).toContain('comment');
    }
  }, 60_000);

  it('says it cannot tell whether it was done when PostgreSQL is gone before it can be asked', async () => {
    const { p1, proxy, clinic } = await proxiedProcess('databaseUrl');
    const { id } = await signedByA(p1, clinic);
    const cut = failAtCommit(proxy, '"locked":true', { then: () => proxy.cut() });
    const signed = await clinic.b.api.post(`/api/sessions/${id}/sign`, {});
    expect(cut.hit()).toBe(true);
    expect(signed.status).toBe(503);
    expect(signed.body).toMatchObject({ error: { code: 'storage_outcome_unknown', message: expect.stringContaining('cannot tell whether it was') } });
    proxy.heal();
    // It was done: reloading shows the note locked, with its record.
    await expect.poll(async () => (await clinic.b.api.get<{ status: string }>(`/api/sessions/${id}`)).body.status, { timeout: 30_000 }).toBe('signed');
    expect(await auditOf(clinic, id, 'session_signed')).toHaveLength(2);
    expect(isRunning(p1)).toBe(true);
  }, 60_000);
});
