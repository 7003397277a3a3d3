import { expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import type { NoticesView } from '../../shared/domain/supervisor';
import { expectStatus, type ApiClient, type Clinic } from '../helpers/api';
import { failAtCommit } from '../helpers/commitFaults';
import { appendParagraph, liveGroupWithLine } from '../helpers/connectClient';
import { tagSpan } from '../helpers/noteOps';
import { describeWith, Postgres, Redis } from '../helpers/services';
import type { ServerProcess } from '../helpers/startTestServer';
import { proxiedPair } from './proxiedPair';

/** A live group session of A and B, made on the first process, with A's observation in its note. */
async function groupWithObservation(p1: ServerProcess, clinic: Clinic) {
  const { id, a } = await liveGroupWithLine(p1.baseUrl, clinic, 'M1 laughed when the topic turned to school');
  const obs = tagSpan(a.doc, 'laughed', { authorId: clinic.a.id, tags: ['affect'] });
  await expect.poll(() => a.isSaved()).toBe(true);
  return { id, a, obs };
}

const noticeKinds = async (api: ApiClient, sessionId: string) => (await api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === sessionId).map((n) => n.kind);

// Fault attack, 7 Dec: the comment stored and audited, then the first read after its COMMIT (the
// thread marked read, whom to tell) lost with its connection: answered 503 though it stood, and
// the therapists never told. An edit, the same. Member notes made, then the list read again for
// the answer: 503 for notes that were made.
describeWith([Postgres, Redis], 'a read after a stored review step fails: the answer is the step as stored, on two processes', async () => {
  const { p1, proxy, clinic, on2, stillWell } = await proxiedPair();

  it('a supervisor’s comment and its edit: answered as stored, the therapists told, on the other process too', async () => {
    const { id, obs } = await groupWithObservation(p1, clinic);
    const added = failAtCommit(proxy, 'comment_added', { at: 'next query' });
    const posted = await clinic.supervisor.api.post<CommentView>(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'What did the laugh cover?' });
    expect(added.hit()).toBe(true);
    expect(posted.status).toBe(201);
    for (const therapist of [clinic.a, clinic.b]) await expect.poll(() => noticeKinds(on2(therapist), id), { timeout: 15_000 }).toEqual(['comment']);

    const edited = failAtCommit(proxy, 'comment_edited', { at: 'next query' });
    const changed = await clinic.supervisor.api.patch<CommentView>(`/api/sessions/${id}/comments/${posted.body.id}`, { body: 'What did the laugh cover, do you think?' });
    expect(changed.status).toBe(200);
    // Whom to tell is read as the answer goes out (before, 7 Dec: before it, and its loss answered 503).
    await expect.poll(() => edited.hit()).toBe(true);
    const listed = (await on2(clinic.b).get<CommentView[]>(`/api/sessions/${id}/comments`)).body;
    expect(listed.map((c) => c.body)).toEqual(['What did the laugh cover, do you think?']);
    await stillWell();
  }, 60_000);

  it('member notes made by a press: answered with the notes made, listed on the other process', async () => {
    const { id, a } = await groupWithObservation(p1, clinic);
    appendParagraph(a.doc, 'M2 arrived late.');
    await expect.poll(() => a.isSaved()).toBe(true);
    expect((await clinic.a.api.post(`/api/sessions/${id}/end`)).status).toBe(200);
    // A member added after the end, whose note a press makes.
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2', 'M3'] }), 200, 'labels');
    // The list's attendance, read again after the derivation's COMMIT for the answer.
    const read = failAtCommit(proxy, 'member_notes_derived', { at: /members_attendance/ });
    const made = await clinic.a.api.post<{ created: number; members: { member: string; noteSessionId: string | null }[] }>(`/api/sessions/${id}/member-notes`);
    read.stop();
    expect(made.status).toBe(201);
    expect(made.body.created).toBe(1);
    const m3 = made.body.members.find((m) => m.member === 'M3')?.noteSessionId;
    expect(m3).toEqual(expect.any(String));
    const listed = (await on2(clinic.b).get<{ members: { member: string; noteSessionId: string | null }[] }>(`/api/sessions/${id}/member-notes`)).body.members;
    expect(listed.find((m) => m.member === 'M3')?.noteSessionId).toBe(m3);
    await stillWell();
  }, 60_000);
});
