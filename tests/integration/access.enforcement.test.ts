import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { ApiClient, createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { noteOnServerProcess, reviewAfterKill } from '../helpers/scenario';
import { startTestServer } from '../helpers/startTestServer';
import { startClinic } from '../helpers/clinic';

describe('a supervisor connection is read-only, enforced by the server', () => {
  it('drops a crafted update from a raw supervisor socket: others never see it, storage never has it, even after restart', async () => {
    const { dataDir, server: first, clinic, sessionId, a } = await noteOnServerProcess();
    const raw = await openRaw(first.baseUrl, sessionId, { cookie: clinic.supervisor.api.cookie!, origin: first.baseUrl });
    await expect.poll(() => raw.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: false, role: 'supervisor' });
    const forged = new Y.Doc();
    appendParagraph(forged, 'SUPERVISOR WAS HERE');
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'read_only' });

    // A therapist's edit after the forged one arrives, so the forged one had its chance to spread.
    appendParagraph(a.doc, 'therapist line');
    await expect.poll(() => a.isSaved()).toBe(true);
    const b = connectClient(first.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.text()).toContain('therapist line');
    expect(b.text()).not.toContain('SUPERVISOR WAS HERE');
    expect(a.text()).not.toContain('SUPERVISOR WAS HERE');

    const { text } = await reviewAfterKill(first, dataDir, sessionId, clinic.a);
    expect(text).toContain('therapist line');
    expect(text).not.toContain('SUPERVISOR WAS HERE');
  });
});

describe('access changes take effect on open sockets at once', async () => {
  const { server, clinic } = await startClinic();

  it('closes a removed member’s socket with 4403', async () => {
    const sessionId = await createSession(clinic);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    expect((await clinic.a.api.delete(`/api/sessions/${sessionId}/members/${clinic.b.id}`)).status).toBe(204);
    await expect.poll(() => b.closes.map((c) => c.code)).toContain(CloseCode.Forbidden);
  });

  it('closes the sockets of a login that logs out with 4401', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    const cookie = clinic.a.api.cookie;
    expect((await clinic.a.api.post('/api/auth/logout')).status).toBe(204);
    await expect.poll(() => a.closes.map((c) => c.code)).toContain(CloseCode.Unauthorized);
    const stale = new ApiClient(server.baseUrl);
    stale.cookie = cookie;
    expect((await stale.get('/api/me')).status).toBe(401);
    expect((await clinic.a.api.post('/api/auth/login', { email: clinic.a.email, password: clinic.a.password })).status).toBe(200);
  });

});

describe('idle timeout', async () => {
  // 6 s: long enough for a fresh login to open its socket on a machine whose cores are busy (1.2 s
  // was not: the login ended before the socket opened, and the upgrade was refused instead).
  const server = await startTestServer({ env: { TANDEM_IDLE_TIMEOUT_MINUTES: '0.1' } });

  it('ends an idle login and closes its socket', async () => {
    const clinic = await createClinic(server.baseUrl);
    const sessionId = await createSession(clinic);
    // A login of B's own right before the socket, so the idle time runs from here.
    await clinic.b.api.post('/api/auth/login', { email: clinic.b.email, password: clinic.b.password });
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    // Nothing typed, no cursor moved: after the idle timeout the login is gone.
    await expect.poll(() => b.closes.map((c) => c.code), { timeout: 30_000 }).toContain(CloseCode.Unauthorized);
    expect((await clinic.b.api.get('/api/me')).status).toBe(401);
  });
});

describe('logins', async () => {
  const server = await startTestServer({ env: { TANDEM_LOGIN_ATTEMPTS: '3' } });
  const clinic = await createClinic(server.baseUrl);

  it('refuses a second setup once an account exists', async () => {
    const res = await new ApiClient(server.baseUrl).post('/api/setup', { email: 'x@y.test', name: 'X', password: 'long enough pw' });
    expect(res.status).toBe(409);
  });

  it('rate-limits failed logins per account, with Retry-After', async () => {
    const api = new ApiClient(server.baseUrl);
    for (let i = 0; i < 3; i++) expect((await api.post('/api/auth/login', { email: clinic.b.email, password: 'wrong password' })).status).toBe(401);
    const limited = await api.post('/api/auth/login', { email: clinic.b.email, password: clinic.b.password });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('gives clear 4xx errors for bad bodies and changes nothing', async () => {
    const api = clinic.admin.api;
    const bad = await api.request('POST', '/api/users', '{"email": "broken', {});
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_json' } });
    // zod's records skip this key without a word: the body was answered 200 and changed nothing (attack, 2 Dec).
    const reserved = await api.request('POST', '/api/users', '{"email": "p@x.test", "name": "P", "password": "long enough pw", "role": "clinician", "__proto__": {"role": "admin"}}', {});
    expect([reserved.status, reserved.body]).toMatchObject([400, { error: { code: 'reserved_key' } }]);
    expect((await api.get<{ email: string }[]>('/api/users')).body.map((u) => u.email)).not.toContain('p@x.test');
    const wrongField = await api.post('/api/users', { email: 'not-an-email', name: 'N', password: 'long enough pw', role: 'clinician' });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body).toMatchObject({ error: { code: 'invalid_input', field: 'email' } });
    const tooBig = await api.post('/api/users', { email: 'big@x.test', name: 'x'.repeat(200_000), password: 'long enough pw', role: 'clinician' });
    expect(tooBig.status).toBe(413);
    const users = (await api.get<{ email: string }[]>('/api/users')).body;
    expect(users.some((u) => u.email === 'big@x.test' || u.email === 'not-an-email')).toBe(false);
  });

  it('refuses cross-origin writes and non-JSON bodies (CSRF)', async () => {
    const api = clinic.admin.api;
    const foreign = await api.request('POST', '/api/users', { email: 'csrf@x.test', name: 'C', password: 'long enough pw', role: 'clinician' }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const form = await api.request('POST', '/api/users', 'email=csrf@x.test', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
  });

  it('writes audit rows for logins, failures, membership changes and opening a note, with no note content', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'CONFIDENTIAL-CONTENT');
    await expect.poll(() => a.isSaved()).toBe(true);
    a.provider.disconnect();
    const actions = async () => (await clinic.admin.api.get<{ action: string; sessionId: string | null }[]>('/api/audit?limit=1000')).body;
    await expect.poll(async () => (await actions()).filter((e) => e.sessionId === sessionId).map((e) => e.action)).toEqual(
      expect.arrayContaining(['session_created', 'member_added', 'session_opened', 'session_left']),
    );
    const all = await actions();
    expect(all.map((e) => e.action)).toEqual(expect.arrayContaining(['setup', 'login', 'login_failed', 'account_created']));
    expect(JSON.stringify(all)).not.toContain('CONFIDENTIAL-CONTENT');
  });
});
