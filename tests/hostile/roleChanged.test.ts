/**
 * An admin changes an account's role without touching its memberships (they keep who wrote what).
 * A membership must then grant nothing its account no longer fits (attack, 6 Dec): a therapist made
 * an admin kept reading the note over HTTP and live, and a supervisor made a clinician kept
 * writing comments as the session's supervisor and reading the pair's trends.
 */
import { describe, expect, it } from 'vitest';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { lineToComment } from '../helpers/desk';
import { openRaw, upgradeStatus } from '../helpers/rawSocket';

describe('a membership whose account role changed', async () => {
  const { server, clinic } = await startClinic();
  const sync = (p: Person, id: string) => upgradeStatus(server.baseUrl, `/sync/${id}`, { cookie: p.api.cookie!, origin: p.api.origin });
  const listed = async (p: Person, id: string) => ((await p.api.get<{ id: string }[]>('/api/sessions')).body).some((s) => s.id === id);

  it('gives a therapist made an admin no read of the note, live or stored, and no listing', async () => {
    const id = await createSession(clinic);
    const cam = await createPerson(clinic.admin.api, 'clinician', 'Cam Therapist');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: cam.id, role: 'therapist' }), 201, 'add Cam');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    const open = await openRaw(server.baseUrl, id, { cookie: cam.api.cookie!, origin: cam.api.origin });
    expect(await listed(cam, id)).toBe(true);

    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'admin' }), 200, 'make Cam an admin');
    // The open socket is closed for the change, and the reconnect is refused before any byte.
    expect((await open.closed).code).toBeGreaterThanOrEqual(4000);
    expect(await sync(cam, id)).toBe(403);
    for (const path of ['', '/review', '/export.md', '/timeline', '/comments', '/access', '/threads']) {
      expect([path, (await cam.api.get(`/api/sessions/${id}${path}`)).status]).toEqual([path, 403]);
    }
    expect(await listed(cam, id)).toBe(false);

    // Made a clinician again, the membership counts again: nothing was lost.
    await expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'clinician' }), 200, 'Cam a clinician again');
    expect((await cam.api.get(`/api/sessions/${id}/review`)).status).toBe(200);
    expect(await sync(cam, id)).toBe(101);
  });

  it('lets a supervisor made a clinician neither comment as the supervisor nor read the pair’s trends', async () => {
    const { id, anchor } = await lineToComment(server.baseUrl, clinic, 'M1 was quiet today');
    const sue = await createPerson(clinic.admin.api, 'supervisor', 'Sue Supervisor');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: sue.id, role: 'supervisor' }), 201, 'add Sue');
    const trend = `/api/dyads/trend?ids=${clinic.a.id},${clinic.b.id}`;
    expect((await sue.api.get(trend)).status).toBe(200);

    await expectStatus(clinic.admin.api.patch(`/api/users/${sue.id}`, { role: 'clinician' }), 200, 'make Sue a clinician');
    const comment = await sue.api.post(`/api/sessions/${id}/comments`, { anchor, body: 'Good catch' });
    expect(comment.status).toBe(403);
    expect((await sue.api.get(trend)).status).toBe(403);
    expect((await sue.api.get<{ pairs: unknown[] }>('/api/dyads')).body.pairs).toEqual([]);
    expect(await sync(sue, id)).toBe(403);
    expect(await listed(sue, id)).toBe(false);
    expect((await clinic.a.api.get<{ authorId: string }[]>(`/api/sessions/${id}/comments`)).body.filter((c) => c.authorId === sue.id)).toEqual([]);
  });
});
