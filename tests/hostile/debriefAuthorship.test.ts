/**
 * An insider rewriting the pair's debrief (attack, 6 Dec): B emptied the field "What A noticed"
 * (storage kept one row per field, updated in place, and the audit said only `debrief_saved v2`),
 * or filled it with his own words under A's name. Now a field named for one therapist is written
 * by that therapist alone, and every saved version of every field is kept and shown with who saved
 * it and when, so an emptied or rewritten shared field still shows what was there.
 */
import { describe, expect, it } from 'vitest';
import type { DebriefFieldView, DebriefView } from '../../shared/domain/debrief';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

describe('the debrief keeps every version and each therapist’s own account', async () => {
  const { clinic } = await startClinic();
  const code = (r: { body: unknown }) => (r.body as { error?: { code: string } }).error?.code;
  const save = (who: Person, id: string, field: string, body: string, baseVersion: number) =>
    who.api.request<DebriefFieldView>('PUT', `/api/sessions/${id}/debrief/${field}`, { body, baseVersion });
  const read = async (who: Person, id: string, field: string) =>
    (await expectStatus(who.api.get<DebriefView>(`/api/sessions/${id}/debrief`), 200, 'read')).fields.find((f) => f.field === field)!;

  it('refuses the co-therapist’s save of a field named for the other, emptied or rewritten, and changes nothing', async () => {
    const id = await createSession(clinic);
    await expectStatus(save(clinic.a, id, 'noticedA', 'M2 went quiet when her father came up', 0), 200, 'A saves hers');
    const emptied = await save(clinic.b, id, 'noticedA', '', 1);
    expect([emptied.status, code(emptied)]).toEqual([403, 'debrief_not_yours']);
    const rewritten = await save(clinic.b, id, 'noticedA', 'A noticed nothing today', 1);
    expect([rewritten.status, code(rewritten)]).toEqual([403, 'debrief_not_yours']);
    // The other way round, and on a field never saved: A cannot write what B noticed either.
    const intoB = await save(clinic.a, id, 'noticedB', 'B missed the pause', 0);
    expect([intoB.status, code(intoB)]).toEqual([403, 'debrief_not_yours']);
    expect(await read(clinic.supervisor, id, 'noticedA')).toMatchObject({ body: 'M2 went quiet when her father came up', version: 1, updatedBy: clinic.a.id, earlier: [] });
    expect(await read(clinic.supervisor, id, 'noticedB')).toMatchObject({ body: '', version: 0 });
    // Each page is told which fields its reader may write.
    expect([(await read(clinic.b, id, 'noticedA')).canEdit, (await read(clinic.b, id, 'noticedB')).canEdit, (await read(clinic.b, id, 'checkIn')).canEdit]).toEqual([false, true, true]);
    expect((await read(clinic.supervisor, id, 'checkIn')).canEdit).toBe(false);
  });

  it('keeps the words an emptying or a rewrite of a shared field replaced, with who saved them and when', async () => {
    const id = await createSession(clinic);
    await expectStatus(save(clinic.a, id, 'disagreements', 'We differed on M1’s silence', 0), 200, 'A saves');
    await expectStatus(save(clinic.b, id, 'disagreements', '', 1), 200, 'B empties');
    await expectStatus(save(clinic.a, id, 'checkIn', 'I talked over Blair twice', 0), 200, 'A checks in');
    await expectStatus(save(clinic.b, id, 'checkIn', 'Fine', 1), 200, 'B rewrites');
    await expectStatus(save(clinic.b, id, 'checkIn', 'Fine, mostly', 2), 200, 'B again');

    const disagreements = await read(clinic.supervisor, id, 'disagreements');
    expect(disagreements).toMatchObject({ body: '', version: 2, updatedBy: clinic.b.id });
    expect(disagreements.earlier).toEqual([{ version: 1, body: 'We differed on M1’s silence', savedBy: clinic.a.id, savedByName: clinic.a.name, savedAt: expect.any(String) }]);
    const checkIn = await read(clinic.a, id, 'checkIn');
    expect(checkIn.body).toBe('Fine, mostly');
    expect(checkIn.earlier.map((v) => [v.version, v.body, v.savedBy])).toEqual([[2, 'Fine', clinic.b.id], [1, 'I talked over Blair twice', clinic.a.id]]);
    expect(Date.parse(checkIn.earlier[1]!.savedAt)).toBeLessThanOrEqual(Date.parse(checkIn.earlier[0]!.savedAt));
  });

  // Attack, 6 Dec (round two): the fields went by place in the pair (A: added first), so B took A
  // off the session (A had written only the debrief) and added A back: B was "A" now, A's words
  // stood under "What Blair noticed", and B's save over them was taken (200).
  it('keeps each field its first writer’s own account when the pair’s order changes', async () => {
    const id = await createSession(clinic);
    await expectStatus(save(clinic.a, id, 'noticedA', 'M2 went quiet when her father came up', 0), 200, 'A saves hers');
    await expectStatus(clinic.b.api.request('DELETE', `/api/sessions/${id}/members/${clinic.a.id}`), 204, 'B takes A off');
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/members`, { userId: clinic.a.id, role: 'therapist' }), 201, 'B adds A back');
    const view = await expectStatus(clinic.supervisor.api.get<DebriefView>(`/api/sessions/${id}/debrief`), 200, 'read');
    expect(view.raters).toEqual({ a: { accountId: clinic.a.id, name: clinic.a.name }, b: { accountId: clinic.b.id, name: clinic.b.name } });
    const rewritten = await save(clinic.b, id, 'noticedA', 'A noticed nothing today', 1);
    expect([rewritten.status, code(rewritten)]).toEqual([403, 'debrief_not_yours']);
    await expectStatus(save(clinic.b, id, 'noticedB', 'M3 looked at the door', 0), 200, 'B saves his own');
    await expectStatus(save(clinic.a, id, 'noticedA', 'M2 went quiet, then spoke of school', 1), 200, 'A goes on with hers');
    expect([(await read(clinic.b, id, 'noticedA')).canEdit, (await read(clinic.a, id, 'noticedA')).canEdit]).toEqual([false, true]);
  });

  it('gives a therapist who joins the pair the field nobody wrote, never the one their predecessor wrote', async () => {
    const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
    const dee = await createPerson(clinic.admin.api, 'clinician', 'Dee Therapist');
    const id = await createSession(clinic);
    await expectStatus(save(clinic.b, id, 'noticedB', 'B: the family sat apart', 0), 200, 'B saves his');
    await expectStatus(clinic.a.api.request('DELETE', `/api/sessions/${id}/members/${clinic.b.id}`), 204, 'A takes B off');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: cam.id, role: 'therapist' }), 201, 'Cam joins');
    const view = await expectStatus(clinic.a.api.get<DebriefView>(`/api/sessions/${id}/debrief`), 200, 'read');
    expect([view.raters.a?.accountId, view.raters.b]).toEqual([clinic.a.id, { accountId: clinic.b.id, name: clinic.b.name }]);
    const overB = await save(cam, id, 'noticedB', 'Cam: nothing of note', 1);
    expect([overB.status, code(overB)]).toEqual([403, 'debrief_not_yours']);
    expect(await read(clinic.a, id, 'noticedB')).toMatchObject({ body: 'B: the family sat apart', updatedBy: clinic.b.id });
    // Where nobody wrote the field yet, the new co-therapist's is the one the other does not own.
    const other = await createSession(clinic);
    await expectStatus(save(clinic.a, other, 'noticedA', 'A: M1 laughed at the wrong moment', 0), 200, 'A saves hers');
    await expectStatus(clinic.a.api.request('DELETE', `/api/sessions/${other}/members/${clinic.b.id}`), 204, 'A takes B off');
    await expectStatus(clinic.a.api.post(`/api/sessions/${other}/members`, { userId: dee.id, role: 'therapist' }), 201, 'Dee joins');
    await expectStatus(save(dee, other, 'noticedB', 'Dee: M1 looked to A for approval', 0), 200, 'Dee saves hers');
    expect((await expectStatus(dee.api.get<DebriefView>(`/api/sessions/${other}/debrief`), 200, 'read')).raters.b?.accountId).toBe(dee.id);
  });

  it('refuses a field named for one therapist when the session has no pair to name', async () => {
    const id = await createSession(clinic);
    const third = await createPerson(clinic.admin.api, 'clinician', 'Casey Therapist');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: third.id, role: 'therapist' }), 201, 'add a third');
    const refused = await save(clinic.a, id, 'noticedA', 'mine', 0);
    expect([refused.status, code(refused)]).toEqual([409, 'debrief_no_pair']);
    await expectStatus(save(third, id, 'plan', 'Three of us lead in turn', 0), 200, 'shared field');
    expect((await read(clinic.a, id, 'noticedA')).version).toBe(0);
  });
});
