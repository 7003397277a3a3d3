import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/domain/audit';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { ApiClient, createPerson, type Clinic, type Person } from '../helpers/api';
import { connectClient, type TestClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';

describe('ending logins', async () => {
  const { server, clinic } = await startClinic();

  /** A new clinician logged in twice (two browsers), each with a note open over a websocket. */
  async function twoLogins(name: string): Promise<{ person: Person; first: ApiClient; second: ApiClient; firstSocket: TestClient; secondSocket: TestClient }> {
    const person = await createPerson(clinic.admin.api, 'clinician', name);
    const second = new ApiClient(server.baseUrl);
    expect((await second.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
    const { id: sessionId } = (await person.api.post<{ id: string }>('/api/sessions', { title: 'Intake', kind: 'individual' })).body;
    const firstSocket = connectClient(server.baseUrl, sessionId, person.api.cookie);
    const secondSocket = connectClient(server.baseUrl, sessionId, second.cookie);
    await expect.poll(() => firstSocket.provider.synced && secondSocket.provider.synced).toBe(true);
    return { person, first: person.api, second, firstSocket, secondSocket };
  }

  const auditActions = async (c: Clinic) => (await c.admin.api.get<AuditEntryView[]>('/api/audit?limit=1000')).body;

  it('ends every other login of the account when its password changes, and keeps the one that changed it', async () => {
    const { person, first, second, firstSocket, secondSocket } = await twoLogins('Pat Password');
    const newPassword = 'a brand new passphrase';
    expect((await first.post('/api/me/password', { currentPassword: person.password, newPassword })).status).toBe(204);

    await expect.poll(() => secondSocket.closes.map((c) => c.code)).toContain(CloseCode.Unauthorized);
    expect((await second.get('/api/me')).status).toBe(401);
    expect((await first.get('/api/me')).status).toBe(200);
    expect(firstSocket.closes).toEqual([]);
    expect(firstSocket.provider.wsconnected).toBe(true);

    const fresh = new ApiClient(server.baseUrl);
    expect((await fresh.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(401);
    expect((await fresh.post('/api/auth/login', { email: person.email, password: newPassword })).status).toBe(200);
    await expect.poll(async () => (await auditActions(clinic)).find((e) => e.action === 'password_changed' && e.actorId === person.id)?.detail)
      .toEqual({ otherLoginsEnded: 1 });
  });

  it('lets an admin end every login of an account, closing its sockets, and audits it', async () => {
    const { person, first, second, firstSocket, secondSocket } = await twoLogins('Lee Lostlaptop');
    const res = await clinic.admin.api.delete<{ ended: number }>(`/api/users/${person.id}/logins`);
    expect(res.status).toBe(200);
    expect(res.body.ended).toBe(2);
    for (const socket of [firstSocket, secondSocket]) await expect.poll(() => socket.closes.map((c) => c.code)).toContain(CloseCode.Unauthorized);
    for (const api of [first, second]) expect((await api.get('/api/me')).status).toBe(401);
    // The account itself still works: its owner logs in again.
    expect((await first.post('/api/auth/login', { email: person.email, password: person.password })).status).toBe(200);
    await expect.poll(async () => (await auditActions(clinic)).find((e) => e.action === 'logins_ended' && e.detail.accountId === person.id))
      .toMatchObject({ actorId: clinic.admin.id, detail: { count: 2 } });
  });

  it('refuses to end logins of an unknown account', async () => {
    expect((await clinic.admin.api.delete('/api/users/00000000-0000-4000-8000-000000000000/logins')).status).toBe(404);
  });
});

describe('the clinic always keeps an active admin', async () => {
  const { clinic } = await startClinic();
  const patchUser = (api: ApiClient, id: string, body: unknown) => api.patch<{ error?: { code: string; message: string } }>(`/api/users/${id}`, body);

  it('refuses to demote or deactivate the only admin, saying why, and changes nothing', async () => {
    for (const body of [{ role: 'clinician' }, { active: false }, { role: 'supervisor', active: false }]) {
      const res = await patchUser(clinic.admin.api, clinic.admin.id, body);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'last_admin', message: expect.stringContaining('only active admin') });
    }
    expect((await clinic.admin.api.get('/api/me')).body).toMatchObject({ role: 'admin', active: true });
    expect((await clinic.admin.api.get('/api/audit')).status).toBe(200);
  });

  it('lets an admin step down once another is active, and then keeps the last one', async () => {
    const second = await createPerson(clinic.admin.api, 'admin', 'Second Admin');
    expect((await patchUser(clinic.admin.api, clinic.admin.id, { role: 'clinician' })).status).toBe(200);
    const res = await patchUser(second.api, second.id, { active: false });
    expect(res.status).toBe(409);
    expect(res.body.error?.code).toBe('last_admin');
  });
});

describe('two admins demoting each other at once', async () => {
  const { server, clinic } = await startClinic();

  it('lets exactly one of them through', async () => {
    const second = await createPerson(clinic.admin.api, 'admin', 'Second Admin');
    const results = await Promise.all([
      clinic.admin.api.patch(`/api/users/${second.id}`, { role: 'clinician' }),
      second.api.patch(`/api/users/${clinic.admin.id}`, { role: 'clinician' }),
    ]);
    // The other is refused: 409 if it passed the role check before the first change landed, 403 after.
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => [200, 403, 409].includes(r.status))).toBe(true);
    const admins = (await new ApiClient(server.baseUrl).post('/api/auth/login', { email: clinic.admin.email, password: clinic.admin.password })).body as { user: { role: string } };
    const secondRole = (await second.api.get<{ role: string }>('/api/me')).body.role;
    expect([admins.user.role, secondRole].filter((r) => r === 'admin')).toHaveLength(1);
  });
});
