/**
 * A flag's answer marks its notices answered and read in every addressee's inbox (44d7e06), found by
 * the flag's id. That id is an observation's key in one note, and a therapist of two sessions may
 * write the same key in the other note: A flagged 'left' for Blair in the first session, wrote an
 * observation of that very key in a second session of A, Blair and Olu, flagged it, and Olu's
 * answer there turned Blair's notice of the first session's flag into 'answered', read, though
 * nobody had answered it (attack, 7 Dec). An answer marks only its own session's notices.
 */
import { describe, expect, it } from 'vitest';
import type { NoticesView } from '../../shared/domain/supervisor';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, type TestClient } from '../helpers/connectClient';
import { answerFlag, tagSpan } from '../helpers/noteOps';

describe('answering a flag in one session', async () => {
  const { server, clinic } = await startClinic();
  const { a, b, outsider } = clinic;

  /** A live group session of A with `therapists`, and A's open page on it. */
  async function liveWith(title: string, therapists: Person[]): Promise<{ id: string; page: TestClient }> {
    const { id } = await expectStatus(a.api.post<{ id: string }>('/api/sessions', { title, kind: 'group' }), 201, 'create');
    for (const p of therapists) await expectStatus(a.api.post(`/api/sessions/${id}/members`, { userId: p.id, role: 'therapist' }), 201, 'add');
    await expectStatus(a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const page = connectClient(server.baseUrl, id, a.api.cookie);
    await expect.poll(() => page.provider.synced).toBe(true);
    return { id, page };
  }
  const flagsOf = async (p: Person, id: string) =>
    (await expectStatus(p.api.get<NoticesView>('/api/notices'), 200, 'notices')).notices.filter((n) => n.sessionId === id).map((n) => [n.kind, n.read]);

  it('leaves the notices of a flag of the same id in another session as they were', async () => {
    const first = await liveWith('Monday group', [b]);
    appendParagraph(first.page.doc, 'M1 left the room');
    const flag = tagSpan(first.page.doc, 'left', { authorId: a.id, tags: ['affect'], forCoTherapist: true });
    await expect.poll(() => first.page.isSaved()).toBe(true);
    await expect.poll(() => flagsOf(b, first.id)).toEqual([['flag', false]]);

    // The same key, A's own (its id carries A's tag), written as a flag in a second note.
    const second = await liveWith('Wednesday group', [b, outsider]);
    appendParagraph(second.page.doc, 'M2 left early');
    second.page.doc.transact(() => sessionDoc(second.page.doc).observations.set(flag.id, { ...flag, createdAt: Date.now() }));
    await expect.poll(() => second.page.isSaved()).toBe(true);
    expect(second.page.notices.filter((n) => n.type === 'refused')).toEqual([]);
    await expect.poll(() => flagsOf(b, second.id)).toEqual([['flag', false]]);

    const answerer = connectClient(server.baseUrl, second.id, outsider.api.cookie);
    await expect.poll(() => answerer.provider.synced && sessionDoc(answerer.doc).observations.has(flag.id)).toBe(true);
    answerFlag(answerer.doc, flag.id, { by: outsider.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => answerer.isSaved()).toBe(true);
    // The second session's notice is answered; the first's still waits for Blair.
    await expect.poll(() => flagsOf(b, second.id)).toEqual([['flag_answered', true]]);
    expect(await flagsOf(b, first.id)).toEqual([['flag', false]]);
    for (const c of [first.page, second.page, answerer]) c.destroy();
  });
});
