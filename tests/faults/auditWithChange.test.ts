import { describe, expect, it } from 'vitest';
import { createClinic, createPerson, createSession } from '../helpers/api';
import { refuseWrites } from '../helpers/refuseWrites';
import { startTestServer } from '../helpers/startTestServer';

// A state change and its audit record are one unit of work: when the audit log refuses the record
// (a trigger on the real database, as a full disk would), the change is not made either, and the
// answer is 503 "storage unavailable" rather than a 500 after the change was applied.
describe('a change whose audit record cannot be written', async () => {
  const server = await startTestServer();
  const clinic = await createClinic(server.baseUrl);

  it('adds no member', async () => {
    const sessionId = await createSession(clinic);
    const newcomer = await createPerson(clinic.admin.api, 'clinician', 'Newcomer');
    const restore = refuseWrites(server.dataDir, ['audit']);
    const res = await clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: newcomer.id, role: 'therapist' });
    restore();
    expect(res.status).toBe(503);
    expect(await server.store.sessions.member(sessionId, newcomer.id)).toBeNull();
  });

  it('removes no member', async () => {
    const sessionId = await createSession(clinic);
    const restore = refuseWrites(server.dataDir, ['audit']);
    const res = await clinic.a.api.request('DELETE', `/api/sessions/${sessionId}/members/${clinic.supervisor.id}`);
    restore();
    expect(res.status).toBe(503);
    expect(await server.store.sessions.member(sessionId, clinic.supervisor.id)).toMatchObject({ role: 'supervisor' });
  });

  it('neither starts the session nor records a start', async () => {
    const sessionId = await createSession(clinic);
    const restore = refuseWrites(server.dataDir, ['audit']);
    const res = await clinic.a.api.post(`/api/sessions/${sessionId}/start`, {});
    restore();
    expect(res.status).toBe(503);
    expect((await server.store.sessions.byId(sessionId))?.status).toBe('scheduled');
    expect(await server.store.events.list(sessionId)).toEqual([]);
  });

  it('records no signature', async () => {
    const sessionId = await createSession(clinic);
    for (const step of ['start', 'end']) expect((await clinic.a.api.post(`/api/sessions/${sessionId}/${step}`, {})).status).toBe(200);
    const restore = refuseWrites(server.dataDir, ['audit']);
    const res = await clinic.a.api.post(`/api/sessions/${sessionId}/sign`, {});
    restore();
    expect(res.status).toBe(503);
    expect((await server.store.events.list(sessionId)).map((e) => e.kind)).toEqual(['started', 'ended']);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/sign`, {})).status).toBe(200);
  });

  it('changes no account role', async () => {
    const person = await createPerson(clinic.admin.api, 'clinician', 'Changing');
    const restore = refuseWrites(server.dataDir, ['audit']);
    const res = await clinic.admin.api.request('PATCH', `/api/users/${person.id}`, { role: 'supervisor' });
    restore();
    expect(res.status).toBe(503);
    expect((await server.store.accounts.byId(person.id))?.role).toBe('clinician');
  });
});
