/**
 * An insider with a valid login going around the new rules by ordinary HTTP routes (seen by an
 * attacker after the desk, blind mode and member notes landed): a URL in other letter case, a
 * co-therapist added or removed to hurry a reveal, a risk-tagged label taken away before signing,
 * blind mode switched off over private observations, and one login opening stream after stream.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BlindAnchor } from '../../shared/domain/blind';
import { createPerson, createSession, expectStatus } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { findText, tagSpan } from '../helpers/noteOps';
import { startClinic } from '../helpers/clinic';

const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');

function spanAnchor(doc: Y.Doc, words: string): BlindAnchor {
  const { text, index } = findText(doc, words);
  return { kind: 'span', from: b64(Y.createRelativePositionFromTypeIndex(text, index, 0)), to: b64(Y.createRelativePositionFromTypeIndex(text, index + words.length, -1)) };
}

describe('insiders going around the rules by ordinary routes', async () => {
  const { server, clinic } = await startClinic();
  const code = (r: { body: unknown }) => (r.body as { error?: { code: string } }).error?.code;

  /** A group session with M1 and M2, a paragraph written and saved; `blind` chooses blind mode first. */
  async function groupSession(blind: boolean) {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    if (blind) await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: true }), 200, 'blind');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M1 said she had not been sleeping');
    await expect.poll(() => a.isSaved()).toBe(true);
    return { id, a };
  }

  it('answers no record route of a process note in any letter case or escaping', async () => {
    const { id, a } = await groupSession(false);
    a.destroy();
    const pid = (await expectStatus(clinic.a.api.post<{ processSessionId: string }>(`/api/sessions/${id}/process-note`, { retainDays: null }), 201, 'process note')).processSessionId;
    for (const path of ['Review', 'REVIEW', 'Export.md', 'timeLine', '%72eview', 'Comments']) {
      const res = await clinic.a.api.get(`/api/sessions/${pid}/${path}`);
      expect([path, res.status, code(res)]).toEqual([path, 404, 'not_a_record']);
    }
    // Sharing is the one way in: no member route adds anyone, whatever its case.
    const added = await clinic.a.api.post(`/api/sessions/${pid}/Members`, { userId: clinic.outsider.id, role: 'therapist' });
    expect([added.status, code(added)]).toEqual([404, 'not_a_record']);
    expect((await clinic.outsider.api.get(`/api/sessions/${pid}`)).status).toBe(403);
  });

  it('reveals nobody’s private observations early when a therapist is added or removed', async () => {
    const { id, a } = await groupSession(true);
    const made = await clinic.b.api.post(`/api/sessions/${id}/blind/observations`, { tags: ['affect'], member: 'M1', forCoTherapist: true, anchor: spanAnchor(a.doc, 'not been sleeping') });
    expect(made.status).toBe(201);
    expect((await clinic.a.api.post(`/api/sessions/${id}/blind/reveal`)).status).toBe(202);

    // A third therapist presses too: B, who kept observations private, has not.
    const third = await createPerson(clinic.admin.api, 'clinician', 'Tara Third');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: third.id, role: 'therapist' }), 201, 'third therapist');
    expect((await third.api.post(`/api/sessions/${id}/blind/reveal`)).status).toBe(202);
    const again = await clinic.a.api.post<{ revealed: boolean; waitingFor: string[] }>(`/api/sessions/${id}/blind/reveal`);
    expect([again.status, again.body.waitingFor]).toEqual([202, [clinic.b.name]]);

    // Removing B does not skip B's consent either (when removing is allowed at all).
    await clinic.a.api.delete(`/api/sessions/${id}/members/${clinic.b.id}`);
    const alone = await clinic.a.api.post<{ revealed: boolean; waitingFor: string[] }>(`/api/sessions/${id}/blind/reveal`);
    expect([alone.status, alone.body.waitingFor]).toEqual([202, [clinic.b.name]]);
    await expect.poll(() => a.provider.synced).toBe(true);
    expect(a.doc.getMap('observations').size).toBe(0);
    a.destroy();
  });

  // Before the start the setting can change, and whether it could be switched off told B whether A
  // had kept anything private (409 blind_has_observations: attack, 4 Dec). Nothing is kept before the start.
  it('keeps nothing private before the start, so switching blind mode tells nobody what the other kept', async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'labels');
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: true }), 200, 'blind');
    const a = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M1 planned to talk about work');
    await expect.poll(() => a.isSaved()).toBe(true);
    const observe = () => clinic.b.api.post(`/api/sessions/${id}/blind/observations`, { tags: ['risk-safety'], member: 'M1', forCoTherapist: false, anchor: spanAnchor(a.doc, 'talk about work') });
    const early = await observe();
    expect([early.status, code(early)]).toEqual([409, 'not_started']);
    expect((await clinic.b.api.get<unknown[]>(`/api/sessions/${id}/blind/observations`)).body).toEqual([]);
    // Either therapist may change the setting until the start, whatever the other did meanwhile.
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: false }), 200, 'off');
    await expectStatus(clinic.b.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: true }), 200, 'on again');
    // From the start the observation is kept, and the setting stays as it is for both.
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(observe(), 201, 'private');
    const off = await clinic.a.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: false });
    expect([off.status, code(off)]).toEqual([409, 'session_started']);
    expect((await clinic.b.api.get<unknown[]>(`/api/sessions/${id}/blind/observations`)).body).toHaveLength(1);
    a.destroy();
  });

  it('keeps a risk-tagged member’s label until the note is signed, so the risk gate cannot be taken away', async () => {
    const { id, a } = await groupSession(false);
    tagSpan(a.doc, 'not been sleeping', { authorId: clinic.a.id, tags: ['risk-safety'], member: 'M1' });
    await expect.poll(() => a.isSaved()).toBe(true);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const removed = await clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M2'] });
    expect([removed.status, code(removed)]).toEqual([409, 'risk_member']);
    const signed = await clinic.a.api.post(`/api/sessions/${id}/sign`);
    expect([signed.status, code(signed)]).toEqual([409, 'risk_incomplete']);
    a.destroy();
  });

  it('gives one login a bounded number of live streams', async () => {
    const open: http.ClientRequest[] = [];
    const stream = () =>
      new Promise<number>((resolve, reject) => {
        const req = http.get(`${server.baseUrl}/api/events`, { headers: { cookie: clinic.supervisor.api.cookie!, origin: server.baseUrl } }, (res) => resolve(res.statusCode ?? 0));
        req.on('error', reject);
        open.push(req);
      });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 13; i++) statuses.push(await stream());
      expect(statuses.slice(0, 12).every((s) => s === 200)).toBe(true);
      expect(statuses[12]).toBe(429);
      // Another person still gets theirs.
      const other = http.get(`${server.baseUrl}/api/events`, { headers: { cookie: clinic.a.api.cookie!, origin: server.baseUrl } });
      open.push(other);
      expect(await new Promise<number>((resolve) => other.on('response', (res) => resolve(res.statusCode ?? 0)))).toBe(200);
    } finally {
      for (const req of open) req.destroy();
    }
  });
});
