import { describe, expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import type { NoticesView, QueueView, ThreadView } from '../../shared/domain/supervisor';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { ApiClient, expectStatus } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { openLiveStream } from '../helpers/liveStream';
import { answerFlag, tagSpan } from '../helpers/noteOps';
import { startClinic } from '../helpers/clinic';

describe('live comment threads', async () => {
  const { server, clinic } = await startClinic();
  const { a, b, supervisor, outsider, admin } = clinic;

  /** A signed note with one observation by A for the supervisor to comment on. */
  async function noteWithObservation(title: string) {
    const id = (await a.api.post<{ id: string }>('/api/sessions', { title, kind: 'group' })).body.id;
    await a.api.post(`/api/sessions/${id}/members`, { userId: b.id, role: 'therapist' });
    await a.api.post(`/api/sessions/${id}/members`, { userId: supervisor.id, role: 'supervisor' });
    await a.api.post(`/api/sessions/${id}/start`);
    const writer = connectClient(server.baseUrl, id, a.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, 'M1 laughed when the topic turned to school');
    const obs = tagSpan(writer.doc, 'laughed', { authorId: a.id, tags: ['affect'] });
    await expect.poll(() => writer.isSaved()).toBe(true);
    writer.destroy();
    return { id, obs };
  }

  it('reaches the therapists’ open pages live, with a notice, and the reply reaches the supervisor’s', async () => {
    const { id, obs } = await noteWithObservation('Group on Monday');
    const bPage = openLiveStream(b.api);
    const supervisorPage = openLiveStream(supervisor.api);
    const outsiderPage = openLiveStream(outsider.api);
    await expect.poll(() => bPage.open() && supervisorPage.open() && outsiderPage.open()).toBe(true);

    const root = await expectStatus(supervisor.api.post<CommentView>(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'What did the laugh cover?' }), 201, 'comment');
    await expect.poll(() => bPage.events).toContainEqual({ type: 'comments', sessionId: id });
    await expect.poll(() => bPage.events).toContainEqual({ type: 'notices' });
    const inbox = (await b.api.get<NoticesView>('/api/notices')).body;
    expect(inbox.notices[0]).toMatchObject({ kind: 'comment', sessionId: id, text: `${supervisor.name} commented on “Group on Monday”.`, path: `/sessions/${id}/review`, read: false });
    // The page asks for the comments, as any read: authorized and audited there.
    expect((await b.api.get<CommentView[]>(`/api/sessions/${id}/comments`)).body.map((c) => c.body)).toEqual(['What did the laugh cover?']);

    const before = supervisorPage.events.length;
    await expectStatus(b.api.post(`/api/sessions/${id}/comments`, { parentId: root.id, body: 'Embarrassment, I think.' }), 201, 'reply');
    await expect.poll(() => supervisorPage.events.slice(before)).toContainEqual({ type: 'comments', sessionId: id });
    const supervisorInbox = (await supervisor.api.get<NoticesView>('/api/notices')).body;
    expect(supervisorInbox.notices[0]).toMatchObject({ kind: 'reply', sessionId: id });
    // A, who is in neither the thread nor its replies, is told of the new comment but not of B's reply.
    const aKinds = (await a.api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === id).map((n) => n.kind);
    expect(aKinds).toEqual(['comment']);
    // A member's event never reaches someone outside the session.
    expect(outsiderPage.events).toEqual([]);
  });

  it('sends no event to a stream whose login ended (a logout, or a password change ending the other logins)', async () => {
    const { id, obs } = await noteWithObservation('Group on Thursday');
    const other = new ApiClient(server.baseUrl);
    await expectStatus(other.post('/api/auth/login', { email: b.email, password: b.password }), 200, 'second login of B');
    const loggedOut = openLiveStream(other);
    const current = openLiveStream(b.api);
    await expect.poll(() => loggedOut.open() && current.open()).toBe(true);
    await expectStatus(other.post('/api/auth/logout'), 204, 'logout');
    await expectStatus(supervisor.api.post(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'And the silence after?' }), 201, 'comment');
    await expect.poll(() => current.events).toContainEqual({ type: 'comments', sessionId: id });
    await expect.poll(() => loggedOut.ended()).toBe(true);
    expect(loggedOut.events).toEqual([]);
  });

  it('opens the event stream only for a login', async () => {
    expect((await fetch(`${server.baseUrl}/api/events`)).status).toBe(401);
    expect((await fetch(`${server.baseUrl}/api/events`, { headers: { cookie: 'tandem_session=forged' } })).status).toBe(401);
  });

  it('counts comments and open threads, resolves and reopens them, and shows who read each thread', async () => {
    const { id, obs } = await noteWithObservation('Group on Tuesday');
    const root = await expectStatus(supervisor.api.post<CommentView>(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'Say more.' }), 201, 'comment');
    const threads = async () => (await a.api.get<ThreadView[]>(`/api/sessions/${id}/threads`)).body;
    expect(await threads()).toEqual([expect.objectContaining({ rootId: root.id, resolved: false, size: 1, readers: [expect.objectContaining({ accountId: supervisor.id })] })]);

    expect((await b.api.post(`/api/sessions/${id}/comments/${root.id}/read`)).status).toBe(204);
    expect((await threads())[0]!.readers.map((r) => r.name).sort()).toEqual([b.name, supervisor.name].sort());

    const bPage = openLiveStream(b.api);
    await expect.poll(() => bPage.open()).toBe(true);
    expect((await a.api.post(`/api/sessions/${id}/comments/${root.id}/resolve`, { resolved: true })).status).toBe(200);
    await expect.poll(() => bPage.events).toContainEqual({ type: 'comments', sessionId: id });
    expect((await threads())[0]).toMatchObject({ resolved: true, resolvedBy: a.id, resolvedByName: a.name });

    expect((await supervisor.api.post(`/api/sessions/${id}/comments/${root.id}/resolve`, { resolved: false })).status).toBe(200);
    expect((await threads())[0]).toMatchObject({ resolved: false, resolvedBy: null });

    // Bad input and strangers: refused, nothing changed.
    expect((await a.api.post(`/api/sessions/${id}/comments/${root.id}/resolve`, { resolved: 'yes' })).status).toBe(400);
    expect((await outsider.api.post(`/api/sessions/${id}/comments/${root.id}/resolve`, { resolved: true })).status).toBe(403);
    expect((await admin.api.post(`/api/sessions/${id}/comments/${root.id}/read`)).status).toBe(403);
    expect((await outsider.api.get(`/api/sessions/${id}/threads`)).status).toBe(403);
    const res = await outsider.api.post<{ error: { code: string } }>(`/api/sessions/${id}/comments`, { parentId: root.id, body: 'me too' });
    expect(res.status).toBe(403);
    expect((await threads())[0]).toMatchObject({ resolved: false, size: 1 });
  });

  it('counts comments on the session in both queues', async () => {
    const { id, obs } = await noteWithObservation('Group on Wednesday');
    await a.api.post(`/api/sessions/${id}/end`);
    await a.api.post(`/api/sessions/${id}/sign`);
    await b.api.post(`/api/sessions/${id}/sign`);
    const root = await expectStatus(supervisor.api.post<CommentView>(`/api/sessions/${id}/comments`, { anchor: { type: 'observation', observationId: obs.id }, body: 'Why here?' }), 201, 'comment');
    await b.api.post(`/api/sessions/${id}/comments`, { parentId: root.id, body: 'Because.' });
    const item = (await b.api.get<QueueView>('/api/queue')).body.items.find((i) => i.sessionId === id);
    expect(item).toMatchObject({ comments: 2, openThreads: 1, state: 'awaiting_cosign' });
  });

  it('puts a flag for the co-therapist in their inbox once, live, counts it read and says it answered once answered, and nothing for an unflagged observation', async () => {
    const id = (await a.api.post<{ id: string }>('/api/sessions', { title: 'Flags on Thursday', kind: 'group' })).body.id;
    await a.api.post(`/api/sessions/${id}/members`, { userId: b.id, role: 'therapist' });
    await a.api.post(`/api/sessions/${id}/start`);
    const bPage = openLiveStream(b.api);
    await expect.poll(() => bPage.open()).toBe(true);
    const writer = connectClient(server.baseUrl, id, a.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, 'M1 laughed and M2 cried');
    tagSpan(writer.doc, 'laughed', { authorId: a.id, tags: ['affect'], forCoTherapist: true });
    tagSpan(writer.doc, 'cried', { authorId: a.id, tags: ['affect'] });
    await expect.poll(() => writer.isSaved()).toBe(true);
    await expect.poll(() => bPage.events).toContainEqual({ type: 'notices' });
    const flags = async (p: typeof a) => (await p.api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === id);
    await expect.poll(async () => (await flags(b)).map((n) => n.kind)).toEqual(['flag']);
    expect((await flags(b))[0]).toMatchObject({ text: `${a.name} flagged something for you in “Flags on Thursday”.`, path: `/sessions/${id}` });
    expect(await flags(a)).toEqual([]);
    // The same client sending its state again (a reconnect) is no new flag.
    writer.provider.disconnect();
    writer.provider.connect();
    await expect.poll(() => writer.provider.synced).toBe(true);
    expect((await flags(b)).length).toBe(1);

    // B answers the flag in the note: it leaves her unread count, and her page hears of it.
    const unread = async () => (await b.api.get<NoticesView>('/api/notices')).body.unread;
    const before = await unread();
    const heard = bPage.events.length;
    const answerer = connectClient(server.baseUrl, id, b.api.cookie);
    await expect.poll(() => answerer.provider.synced).toBe(true);
    const flagged = [...sessionDoc(answerer.doc).observations.values()].find((o) => o.forCoTherapist)!;
    answerFlag(answerer.doc, flagged.id, { by: b.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => answerer.isSaved()).toBe(true);
    await expect.poll(async () => (await flags(b)).map((n) => n.read)).toEqual([true]);
    expect(await unread()).toBe(before - 1);
    // Its words no longer ask (walk, 6 Dec: it read "Flag for you" after the answer).
    expect((await flags(b)).map((n) => [n.kind, n.text])).toEqual([['flag_answered', `${a.name} flagged something for you in “Flags on Thursday”; the flag has been answered in the note.`]]);
    await expect.poll(() => bPage.events.slice(heard)).toContainEqual({ type: 'notices' });
  });

  /** A live group session of A and `others` (therapists) whose note holds `line`, its word `flagged` tagged by A for the co-therapists. */
  async function liveWithFlag(title: string, others: (typeof a)[], line: string, flagged: string): Promise<string> {
    const id = (await a.api.post<{ id: string }>('/api/sessions', { title, kind: 'group' })).body.id;
    for (const p of others) await a.api.post(`/api/sessions/${id}/members`, { userId: p.id, role: 'therapist' });
    await a.api.post(`/api/sessions/${id}/start`);
    const writer = connectClient(server.baseUrl, id, a.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, line);
    tagSpan(writer.doc, flagged, { authorId: a.id, tags: ['affect'], forCoTherapist: true });
    await expect.poll(() => writer.isSaved()).toBe(true);
    writer.destroy();
    return id;
  }

  // Walk, 6 Dec: with three therapists, Bea's answer to Cy's flag left Alex's notice of it unread, reading "Flag for you".
  it('says a flag answered by one addressee is answered, and read, in the other addressee’s inbox too', async () => {
    const id = await liveWithFlag('Three of us', [b, outsider], 'M1 left the room', 'left');
    const flags = async (p: typeof a) => (await p.api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === id).map((n) => [n.kind, n.read]);
    await expect.poll(() => flags(b)).toEqual([['flag', false]]);
    await expect.poll(() => flags(outsider)).toEqual([['flag', false]]);
    const answerer = connectClient(server.baseUrl, id, outsider.api.cookie);
    await expect.poll(() => answerer.provider.synced).toBe(true);
    const flagged = [...sessionDoc(answerer.doc).observations.values()].find((o) => o.forCoTherapist)!;
    answerFlag(answerer.doc, flagged.id, { by: outsider.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => answerer.isSaved()).toBe(true);
    answerer.destroy();
    await expect.poll(() => flags(b)).toEqual([['flag_answered', true]]);
    expect(await flags(outsider)).toEqual([['flag_answered', true]]);
  });

  // Walk, 7 Dec: A flagged 'went quiet' for B, both signed with it unanswered, and B's inbox went on
  // saying 'Flag for you', unread, of a flag nobody could answer any more.
  it('says a flag left unanswered when the note was locked is so, no longer asking', async () => {
    const id = await liveWithFlag('Signed with a flag', [b], 'She went quiet', 'quiet');
    const flags = async () => (await b.api.get<NoticesView>('/api/notices')).body.notices.filter((n) => n.sessionId === id && n.kind.startsWith('flag')).map((n) => [n.kind, n.text]);
    await expect.poll(flags).toEqual([['flag', `${a.name} flagged something for you in “Signed with a flag”.`]]);
    await expectStatus(a.api.post(`/api/sessions/${id}/end`, { attendance: {} }), 200, 'end');
    for (const p of [a, b]) await expectStatus(p.api.post(`/api/sessions/${id}/sign`), 200, `${p.name} signs`);
    expect(await flags()).toEqual([
      ['flag_unanswered', `${a.name} flagged something for you in “Signed with a flag”. It was not answered before the note was locked; it can no longer be answered there.`],
    ]);
  });
});
