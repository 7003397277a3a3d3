/**
 * Notices after a membership stopped granting (attack, 6 Dec): a therapist made an admin still got
 * the notice ping and a stored notice of each comment on the session, though every page of it
 * refused them; and the inbox took its newest `limit` notices before leaving out those of sessions
 * the person may no longer read, so it showed fewer than the limit, or none, while readable ones
 * waited further back.
 */
import { describe, expect, it } from 'vitest';
import type { NoticesView } from '../../shared/domain/supervisor';
import { createPerson, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { lineToComment } from '../helpers/desk';
import { openLiveStream } from '../helpers/liveStream';

describe('notices reach only those who may read the session', async () => {
  const { server, clinic } = await startClinic();
  const addTherapist = (id: string, p: Person) => expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: p.id, role: 'therapist' }), 201, `add ${p.name}`);
  const inbox = async (p: Person, limit: number) => expectStatus(p.api.get<NoticesView>(`/api/notices?limit=${limit}`), 200, 'inbox');
  let tags = 0;

  it('neither pings nor stores a notice for a therapist made an admin', async () => {
    const { id, comment } = await lineToComment(server.baseUrl, clinic, 'M1 looked away');
    const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
    await addTherapist(id, cam);
    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'admin' }), 200, 'make Cam an admin');
    const camPage = openLiveStream(cam.api);
    const alexPage = openLiveStream(clinic.a.api);
    await expect.poll(() => camPage.open() && alexPage.open()).toBe(true);

    await comment('What did you make of this?');
    // A codebook change reaches every open page after the comment's notice was sent (or not).
    await expectStatus(clinic.admin.api.post('/api/tags', { name: `Barrier ${++tags}`, color: '#123456' }), 201, 'a tag');
    await expect.poll(() => camPage.events.some((e) => e.type === 'codebook')).toBe(true);
    expect(camPage.events.filter((e) => e.type === 'notices')).toEqual([]);
    await expect.poll(() => alexPage.events.some((e) => e.type === 'notices')).toBe(true);

    // Made a clinician again, Cam finds no notice of what was said while the session was not his to read.
    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'clinician' }), 200, 'Cam a clinician again');
    expect((await inbox(cam, 100)).notices.filter((n) => n.sessionId === id)).toEqual([]);
    expect((await inbox(clinic.a, 100)).notices.filter((n) => n.sessionId === id).map((n) => n.kind)).toEqual(['comment']);
  });

  it('fills the inbox’s limit with readable notices, past those of a session the person left', async () => {
    const dee = await createPerson(clinic.admin.api, 'clinician', 'Dee Therapist');
    const kept = await lineToComment(server.baseUrl, clinic, 'M2 arrived late');
    const left = await lineToComment(server.baseUrl, clinic, 'M3 left early');
    for (const s of [kept, left]) await addTherapist(s.id, dee);
    await kept.comment('Worth a word next week');
    for (const body of ['One', 'Two', 'Three']) await left.comment(body);
    expect((await inbox(dee, 2)).notices.map((n) => n.sessionId)).toEqual([left.id, left.id]);

    await expectStatus(clinic.a.api.delete(`/api/sessions/${left.id}/members/${dee.id}`), 204, 'Dee leaves');
    const after = await inbox(dee, 2);
    expect(after.notices.map((n) => [n.sessionId, n.kind])).toEqual([[kept.id, 'comment']]);
    expect(after.unread).toBe(1);
  });
});
