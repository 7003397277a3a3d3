import { describe, expect, it } from 'vitest';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

interface History {
  groupId: string | null;
  sessions: { id: string; title: string; members: { member: string; attendance: string; noteSessionId: string | null }[] }[];
}

describe('a recurring group keeps its members from week to week', async () => {
  const { server, clinic } = await startClinic();

  it('starts the next session with the group’s labels and team, and lines up each member’s notes over the weeks', async () => {
    const week1 = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${week1}/group-members`, { labels: ['M1', 'M2', 'M3'] }), 200, 'labels');
    const next = (from: string, title: string) => clinic.b.api.post<{ id: string }>('/api/sessions', { title, kind: 'group', continues: from });
    const week2 = (await expectStatus(next(week1, 'Tuesday group, week 2'), 201, 'week 2')).id;
    const view2 = (await clinic.supervisor.api.get<{ groupMembers: string[]; members: { userId: string; role: string }[] }>(`/api/sessions/${week2}`)).body;
    expect(view2.groupMembers).toEqual(['M1', 'M2', 'M3']);
    expect(view2.members.map((m) => [m.userId, m.role]).sort()).toEqual([[clinic.a.id, 'therapist'], [clinic.b.id, 'therapist'], [clinic.supervisor.id, 'supervisor']].sort());
    // B made week 2, but A came first in the group: each keeps their colour (walk, 4 Dec: they changed from week to week).
    const colours = async (id: string) => (await clinic.a.api.get<{ members: { userId: string; color: string }[] }>(`/api/sessions/${id}`)).body.members.map((m) => [m.userId, m.color]).sort();
    expect(await colours(week2)).toEqual(await colours(week1));
    // A new member joins in week 2; week 3 starts with them.
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${week2}/group-members`, { labels: ['M1', 'M2', 'M3', 'M4'] }), 200, 'labels 2');
    const week3 = (await expectStatus(next(week2, 'Tuesday group, week 3'), 201, 'week 3')).id;
    expect((await clinic.a.api.get<{ groupMembers: string[] }>(`/api/sessions/${week3}`)).body.groupMembers).toEqual(['M1', 'M2', 'M3', 'M4']);

    for (const [id, absent] of [[week1, 'M1'], [week2, 'M3']] as const) {
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { [absent]: 'absent' } }), 200, 'attendance');
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    }
    const history = await expectStatus(clinic.supervisor.api.get<History>(`/api/sessions/${week3}/group-history`), 200, 'history');
    expect(history.groupId).toBe(week1);
    expect(history.sessions.map((s) => s.id)).toEqual([week1, week2, week3]);
    const m2 = history.sessions.map((s) => s.members.find((m) => m.member === 'M2')?.noteSessionId ?? null);
    expect(m2[0]).not.toBeNull();
    expect(m2[1]).not.toBeNull();
    expect(m2[2]).toBeNull();
    const m1 = history.sessions.map((s) => s.members.find((m) => m.member === 'M1')?.attendance);
    expect(m1).toEqual(['absent', 'present', 'present']);
  });

  // Two therapists set up a group at once: B adds M4 while A's list, opened before, adds M3. A's
  // save replaced the whole list and dropped M4 unseen (5 Dec).
  it('refuses a label list edited from labels that changed since, naming the labels now, and changes nothing', async () => {
    const id = await createSession(clinic);
    const put = (who: typeof clinic.a, body: object) => who.api.request<{ labels?: string[]; error?: { code: string; message: string } }>('PUT', `/api/sessions/${id}/group-members`, body);
    const labels = async () => (await clinic.a.api.get<{ groupMembers: string[] }>(`/api/sessions/${id}`)).body.groupMembers;
    await expectStatus(put(clinic.a, { labels: ['M1', 'M2'], base: [] }), 200, 'first labels');

    expect((await expectStatus(put(clinic.b, { labels: ['M1', 'M2', 'M4'], base: ['M1', 'M2'] }), 200, 'B adds M4')).labels).toEqual(['M1', 'M2', 'M4']);
    const stale = await put(clinic.a, { labels: ['M1', 'M2', 'M3'], base: ['M1', 'M2'] });
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('labels_changed');
    expect(stale.body.error?.message).toContain('they are now M1 M2 M4');
    expect(await labels()).toEqual(['M1', 'M2', 'M4']);

    // Edited from the labels as they are now, it is saved; the order counts (the palette's digits).
    await expectStatus(put(clinic.a, { labels: ['M1', 'M2', 'M4', 'M3'], base: ['M1', 'M2', 'M4'] }), 200, 'A adds M3');
    expect((await put(clinic.b, { labels: ['M2', 'M1', 'M4', 'M3'], base: ['M1', 'M2', 'M3', 'M4'] })).status).toBe(409);
    // Without a base the list replaces what is there, as before (an API caller sending the whole list).
    await expectStatus(put(clinic.b, { labels: ['M1', 'M2', 'M3', 'M4'] }), 200, 'whole list');
    expect(await labels()).toEqual(['M1', 'M2', 'M3', 'M4']);
    // The labels as they already are: nothing is lost, so nothing is refused, and nothing changes
    // (such saves bumped the session's version and failed others' correct saves: attack, 5 Dec).
    const version = async () => (await server.store.sessions.byId(id))!.version;
    const before = await version();
    await expectStatus(put(clinic.a, { labels: ['M1', 'M2', 'M3', 'M4'], base: ['M1'] }), 200, 'unchanged');
    expect(await version()).toBe(before);
  });

  it('refuses to continue a session the caller does not treat, or one that is not a group', async () => {
    const group = await createSession(clinic);
    const individual = await createSession(clinic, 'individual');
    expect((await clinic.outsider.api.post('/api/sessions', { title: 'Not mine', kind: 'group', continues: group })).status).toBe(403);
    expect((await clinic.a.api.post('/api/sessions', { title: 'Wrong kind', kind: 'individual', continues: group })).body).toMatchObject({ error: { code: 'not_a_group', field: 'continues' } });
    expect((await clinic.a.api.post('/api/sessions', { title: 'From one client', kind: 'group', continues: individual })).status).toBe(400);
    expect((await clinic.outsider.api.get(`/api/sessions/${group}/group-history`)).status).toBe(403);
    // A session in no recurring group is its own history.
    expect((await clinic.a.api.get<History>(`/api/sessions/${group}/group-history`)).body).toMatchObject({ groupId: null, sessions: [{ id: group }] });
  });
});
