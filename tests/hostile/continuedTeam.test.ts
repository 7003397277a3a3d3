/**
 * Membership changes that went unrecorded (attack, 6 Dec): continuing a recurring group copied the
 * previous session's team into the new one, and the audit log said only `session_created` with
 * `continues`: who was given access to the new session, in which role, was nowhere. Each person
 * copied is now a `member_added` record, by the person who continued the group, in the same unit
 * of work as the session.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/domain/audit';
import { createPerson, createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

describe('continuing a group records each member it copies', async () => {
  const { clinic } = await startClinic();
  const continueFrom = async (who: typeof clinic.a, previous: string) =>
    (await expectStatus(who.api.post<{ id: string }>('/api/sessions', { title: 'Tuesday group, next week', kind: 'group', continues: previous }), 201, 'continue')).id;
  /** The session's membership records: [actor, member, role, continued]. */
  const memberships = async (sessionId: string) =>
    (await expectStatus(clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=100`), 200, 'audit'))
      .filter((e) => e.action === 'member_added')
      .map((e) => [e.actorId, e.detail.accountId, e.detail.role, e.detail.continued])
      .sort();

  it('records the co-therapist and the supervisor copied into the next session, by who continued it', async () => {
    const week1 = await createSession(clinic);
    const week2 = await continueFrom(clinic.b, week1);
    expect(await memberships(week2)).toEqual([
      [clinic.b.id, clinic.a.id, 'therapist', week1],
      [clinic.b.id, clinic.supervisor.id, 'supervisor', week1],
    ].sort());
  });

  it('records every copied member of a larger team, week after week, and never the one who continued it', async () => {
    const week1 = await createSession(clinic);
    const third = await createPerson(clinic.admin.api, 'clinician', 'Casey Therapist');
    await expectStatus(clinic.a.api.post(`/api/sessions/${week1}/members`, { userId: third.id, role: 'therapist' }), 201, 'add a third');
    const week2 = await continueFrom(clinic.a, week1);
    const week3 = await continueFrom(third, week2);
    expect(await memberships(week2)).toEqual([
      [clinic.a.id, clinic.b.id, 'therapist', week1],
      [clinic.a.id, clinic.supervisor.id, 'supervisor', week1],
      [clinic.a.id, third.id, 'therapist', week1],
    ].sort());
    expect(await memberships(week3)).toEqual([
      [third.id, clinic.a.id, 'therapist', week2],
      [third.id, clinic.b.id, 'therapist', week2],
      [third.id, clinic.supervisor.id, 'supervisor', week2],
    ].sort());
  });
});
