/**
 * What one session's page shows of another session reads that other session under the caller's
 * membership of it, which must fit the account's role (policies.ts `can`). Two places checked the
 * membership alone (attack, 6 Dec): after a role change, a recurring group's history still listed
 * the weeks the caller may no longer read (title, status, members' notes), and a member note's
 * sign check still sent the group note's words, through a session the caller reads under a fitting
 * membership.
 */
import { describe, expect, it } from 'vitest';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { connectClient, liveGroupWithLine } from '../helpers/connectClient';
import { appendPieces } from '../helpers/noteOps';

interface History { sessions: { id: string }[] }

describe('another session read through one the caller reads, after a role change', async () => {
  const { server, clinic } = await startClinic();
  const historyIds = async (p: Person, id: string) => (await expectStatus(p.api.get<History>(`/api/sessions/${id}/group-history`), 200, 'history')).sessions.map((s) => s.id);

  /** Week 1 with `who` in it as `role`, and week 2 continuing it (the team comes along). */
  const twoWeeks = async (who: Person, role: 'therapist' | 'supervisor') => {
    const week1 = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${week1}/members`, { userId: who.id, role }), 201, 'add to week 1');
    const week2 = (await expectStatus(clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Week 2', kind: 'group', continues: week1 }), 201, 'week 2')).id;
    return { week1, week2 };
  };

  /**
   * `who` reads both weeks in week 2's history; made a `accountRole` and a `memberRole` of week 2,
   * week 1 is refused them and left out of week 2's history.
   */
  const changedOutOfWeek1 = async (who: Person, { week1, week2 }: { week1: string; week2: string }, accountRole: 'clinician' | 'supervisor', memberRole: 'therapist' | 'supervisor') => {
    expect(await historyIds(who, week2)).toEqual([week1, week2]);
    await expectStatus(clinic.admin.api.patch(`/api/users/${who.id}`, { role: accountRole }), 200, `make them a ${accountRole}`);
    await expectStatus(clinic.a.api.post(`/api/sessions/${week2}/members`, { userId: who.id, role: memberRole }), 201, `a ${memberRole} of week 2`);
    expect((await who.api.get(`/api/sessions/${week1}`)).status).toBe(403);
    expect(await historyIds(who, week2)).toEqual([week2]);
  };

  it('leaves out the weeks a supervisor made a clinician supervised, once she is a therapist of a later one', async () => {
    const sue = await createPerson(clinic.admin.api, 'supervisor', 'Sue Supervisor');
    await changedOutOfWeek1(sue, await twoWeeks(sue, 'supervisor'), 'clinician', 'therapist');
  });

  it('leaves out the weeks a clinician made a supervisor wrote as a therapist, once she supervises a later one', async () => {
    const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
    const weeks = await twoWeeks(cam, 'therapist');
    await changedOutOfWeek1(cam, weeks, 'supervisor', 'supervisor');

    // Made a clinician again, week 1 is hers again (nothing was lost); week 2 she now supervises.
    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'clinician' }), 200, 'Cam a clinician again');
    expect((await cam.api.get(`/api/sessions/${weeks.week1}`)).status).toBe(200);
  });

  it('sends a member note’s signer made a therapist of it none of the group note she supervised, and records no read', async () => {
    const sue = await createPerson(clinic.admin.api, 'supervisor', 'Sue Supervisor');
    const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'Theme: sleep');
    a.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: sue.id, role: 'supervisor' }), 201, 'Sue supervises');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`, { attendance: { M1: 'present', M2: 'present' } }), 200, 'end');
    const { members } = await expectStatus(clinic.a.api.get<{ members: { member: string; noteSessionId: string | null }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
    const m1 = members.find((m) => m.member === 'M1')!.noteSessionId!;
    const group = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => group.provider.synced).toBe(true);
    appendPieces(group.doc, [{ member: 'M1' }, ' disclosed self-harm after the group.']);
    await expect.poll(() => group.isSaved()).toBe(true);
    group.destroy();

    await expectStatus(clinic.admin.api.patch(`/api/users/${sue.id}`, { role: 'clinician' }), 200, 'make Sue a clinician');
    await expectStatus(clinic.a.api.post(`/api/sessions/${m1}/members`, { userId: sue.id, role: 'therapist' }), 201, 'Sue a therapist of M1’s note');
    expect((await sue.api.get(`/api/sessions/${id}`)).status).toBe(403);
    const check = await expectStatus(sue.api.get<{ groupChanges: string[] }>(`/api/sessions/${m1}/sign-check`), 200, 'sign check');
    expect(check.groupChanges).toEqual([]);
    const reads = (await clinic.admin.api.get<{ actorId: string; action: string }[]>(`/api/audit?limit=1000&sessionId=${id}`)).body.filter((e) => e.actorId === sue.id && e.action === 'note_read');
    expect(reads).toEqual([]);
    // The co-therapist, whose membership of both fits, still gets them.
    expect((await expectStatus(clinic.b.api.get<{ groupChanges: string[] }>(`/api/sessions/${m1}/sign-check`), 200, 'B’s check')).groupChanges).toEqual(['disclosed self-harm after the group.']);
  });
});
