/**
 * A member note (one group member's note derived at the group's end) is a session of its own, but
 * the pair's huddle, debrief, concordance and blind mode are the group session's. Its page never
 * asks (shared/domain/sessionParts.ts); asked over HTTP, the server answered a debrief of
 * "Tuesday group — M1" and stored one that no page shows (attack notes, 7 Dec).
 */
import { describe, expect, it } from 'vitest';
import { createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

describe('the pair’s parts asked of a member note (or of process notes)', async () => {
  const { server, clinic } = await startClinic();
  const group = await createSession(clinic);
  await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${group}/group-members`, { labels: ['M1'] }), 200, 'labels');
  for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${group}/${step}`), 200, step);
  const { members } = await expectStatus(clinic.a.api.get<{ members: { noteSessionId: string }[] }>(`/api/sessions/${group}/member-notes`), 200, 'member notes');
  const memberNote = members[0]!.noteSessionId;
  const own = await createSession(clinic);
  const { processSessionId: processNotes } = await expectStatus(clinic.a.api.post<{ processSessionId: string }>(`/api/sessions/${own}/process-note`, {}), 201, 'process notes');

  const asks: [string, (p: Person, id: string) => ReturnType<Person['api']['get']>][] = [
    ['the debrief', (p, id) => p.api.get(`/api/sessions/${id}/debrief`)],
    ['the debrief’s versions', (p, id) => p.api.get(`/api/sessions/${id}/debrief/versions`)],
    ['a save of a debrief field', (p, id) => p.api.request('PUT', `/api/sessions/${id}/debrief/plan`, { body: 'Open with the check-in round', baseVersion: 0 })],
    ['the concordance', (p, id) => p.api.get(`/api/sessions/${id}/concordance`)],
    ['blind mode', (p, id) => p.api.get(`/api/sessions/${id}/blind`)],
    ['blind mode set', (p, id) => p.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: true })],
    ['a press of Reveal', (p, id) => p.api.post(`/api/sessions/${id}/blind/reveal`)],
  ];

  it.each(asks)('%s is refused, naming why, and nothing is stored', async (_what, ask) => {
    const auditBefore = (await server.store.audit.list({ limit: 1000 })).length;
    const [ofMember, ofProcessNotes] = [await ask(clinic.a, memberNote), await ask(clinic.a, processNotes)];
    expect(ofMember.status).toBe(409);
    expect(ofMember.body).toMatchObject({ error: { code: 'member_note', message: expect.stringContaining('not to one member’s note') } });
    // As process notes were refused before (routes/processNotes.ts).
    expect(ofProcessNotes).toMatchObject({ status: 404, body: { error: { code: 'not_a_record' } } });
    for (const id of [memberNote, processNotes]) {
      expect(await server.store.learning.debriefHistory(id)).toEqual([]);
      expect((await server.store.learning.blindSetting(id))?.enabled ?? false).toBe(false);
    }
    expect((await server.store.audit.list({ limit: 1000 })).length).toBe(auditBefore);
  });

  it('still answers them for the session the pair ran', async () => {
    expect((await clinic.a.api.request('PUT', `/api/sessions/${group}/debrief/plan`, { body: 'Open with the check-in round', baseVersion: 0 })).status).toBe(200);
    expect((await clinic.a.api.get(`/api/sessions/${group}/concordance`)).status).toBe(200);
    expect((await clinic.a.api.get(`/api/sessions/${group}/blind`)).status).toBe(200);
  });
});
