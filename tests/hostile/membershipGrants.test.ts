/**
 * Every path that gives an account a membership holds it to one rule (services/memberGrants.ts):
 * the account is active and its role fits. Before (attack, 6 Dec) only adding a member checked it:
 * continuing a recurring group copied a deactivated co-therapist, a supervisor made a clinician and
 * a therapist made an admin onto the new session; member notes and process notes copied them too.
 */
import { describe, expect, it } from 'vitest';
import type { MemberRole } from '../../shared/domain/roles';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

describe('a membership is given only to an account that may hold it', async () => {
  const { clinic } = await startClinic();
  const members = async (id: string) =>
    (await expectStatus(clinic.a.api.get<{ members: { userId: string; role: MemberRole }[] }>(`/api/sessions/${id}`), 200, 'session')).members
      .map((m) => [m.userId, m.role])
      .sort();
  const addTo = (id: string, p: Person, role: MemberRole) => expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: p.id, role }), 201, `add ${p.name}`);
  const changeAccount = (p: Person, patch: { role?: string; active?: boolean }) => expectStatus(clinic.admin.api.patch(`/api/users/${p.id}`, patch), 200, `change ${p.name}`);
  /** A group session of A, B and the supervisor, with `extra` as `role`s, then `change` made to each extra account. */
  const teamWith = async (extra: [Person, MemberRole, { role?: string; active?: boolean }][]) => {
    const id = await createSession(clinic);
    for (const [p, role] of extra) await addTo(id, p, role);
    for (const [p, , patch] of extra) await changeAccount(p, patch);
    return id;
  };
  const base = () => [[clinic.a.id, 'therapist'], [clinic.b.id, 'therapist'], [clinic.supervisor.id, 'supervisor']];

  it('continues a group without a deactivated co-therapist, a supervisor made a clinician or a therapist made an admin', async () => {
    const gone = await createPerson(clinic.admin.api, 'clinician', 'Gale Gone');
    const sue = await createPerson(clinic.admin.api, 'supervisor', 'Sue Supervisor');
    const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Admin');
    const week1 = await teamWith([[gone, 'therapist', { active: false }], [sue, 'supervisor', { role: 'clinician' }], [cam, 'therapist', { role: 'admin' }]]);
    const { id: week2 } = await expectStatus(clinic.b.api.post<{ id: string }>('/api/sessions', { title: 'Tuesday group, next week', kind: 'group', continues: week1 }), 201, 'continue');
    expect(await members(week2)).toEqual(base().sort());
    // Nor is any of them recorded as given access there.
    const added = (await expectStatus(clinic.admin.api.get<{ action: string; detail: { accountId: string } }[]>(`/api/audit?sessionId=${week2}&limit=100`), 200, 'audit'))
      .filter((e) => e.action === 'member_added').map((e) => e.detail.accountId);
    expect(added.filter((a) => [gone.id, sue.id, cam.id].includes(a))).toEqual([]);
    // Their place in the earlier session is kept (it says who wrote what).
    expect((await members(week1)).length).toBe(6);
  });

  it('makes member notes without a deactivated co-therapist or a supervisor made a clinician', async () => {
    const gone = await createPerson(clinic.admin.api, 'clinician', 'Gale Gone');
    const sue = await createPerson(clinic.admin.api, 'supervisor', 'Sue Supervisor');
    const id = await teamWith([[gone, 'therapist', { active: false }], [sue, 'supervisor', { role: 'clinician' }]]);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'labels');
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    const notes = await expectStatus(clinic.a.api.get<{ members: { noteSessionId: string | null }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
    expect(await members(notes.members[0]!.noteSessionId!)).toEqual(base().sort());
  });

  it('makes and shares process notes only with those who may hold their place', async () => {
    const gone = await createPerson(clinic.admin.api, 'clinician', 'Gale Gone');
    const sue = await createPerson(clinic.admin.api, 'supervisor', 'Sue Supervisor');
    const id = await teamWith([[gone, 'therapist', { active: false }], [sue, 'supervisor', { role: 'clinician' }]]);
    const { processSessionId } = await expectStatus(clinic.a.api.post<{ processSessionId: string }>(`/api/sessions/${id}/process-note`, {}), 201, 'process notes');
    for (const p of [clinic.a, clinic.b]) await expectStatus(p.api.post(`/api/sessions/${id}/process-note/share`), 200, `${p.name} shares`);
    expect(await members(processSessionId)).toEqual(base().sort());
  });

  it('still refuses to add them by hand, with the reason', async () => {
    const sue = await createPerson(clinic.admin.api, 'supervisor', 'Sue Supervisor');
    const gone = await createPerson(clinic.admin.api, 'clinician', 'Gale Gone');
    await changeAccount(gone, { active: false });
    const id = await createSession(clinic);
    const asTherapist = await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${id}/members`, { userId: sue.id, role: 'therapist' });
    const deactivated = await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${id}/members`, { userId: gone.id, role: 'therapist' });
    expect([asTherapist.status, asTherapist.body.error.code, deactivated.status, deactivated.body.error.code]).toEqual([400, 'role_mismatch', 400, 'unknown_user']);
    // The reason reads as English for every role (a walk saw "A admin account cannot be a therapist").
    const admin = await clinic.a.api.post<{ error: { message: string } }>(`/api/sessions/${id}/members`, { userId: clinic.admin.id, role: 'therapist' });
    expect([asTherapist.body.error, admin.body.error].map((e) => (e as { message: string }).message)).toEqual([
      'A supervisor account cannot be a therapist of a session.',
      'An admin account cannot be a therapist of a session.',
    ]);
    expect(await members(id)).toEqual(base().sort());
  });
});
