import { expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { liveGroupWithLine } from '../helpers/connectClient';
import { healthOf } from '../helpers/health';
import { REMOVED_PROCESS_NOTES } from '../helpers/processNotes';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning, lastWords } from '../helpers/startTestServer';
import { proxiedProcess } from './proxied';

// Fault attack, 6 Dec: PostgreSQL's connections reset (RST both ways) while a signature, a login,
// an export and a removal of process notes are in flight. Held: those whose queries were cut
// answered 503 at once and changed nothing, the others went through on new connections, and each
// refused one went through when asked again.
describeWith([Postgres, Redis], 'PostgreSQL connections reset while requests are in flight', () => {
  it('answers each request at once, changes nothing it refused, and takes it when asked again', async () => {
    const { p1, proxy, clinic } = await proxiedProcess('databaseUrl');
    const { id } = await liveGroupWithLine(p1.baseUrl, clinic, 'M1 arrived late.');
    expect((await clinic.a.api.post(`/api/sessions/${id}/end`, {})).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${id}/process-note`, { retainDays: null })).status).toBe(201);
    // Removing them takes both keepers (processNoteConsent.ts): B asks first, so A's removal in flight carries it out.
    expect((await clinic.b.api.delete(`/api/sessions/${id}/process-note`)).status).toBe(202);
    const signatures = async () => {
      const audit = await clinic.admin.api.get<{ action: string }[]>(`/api/audit?sessionId=${id}&limit=100`);
      return audit.body.filter((e) => e.action === 'session_signed').length;
    };

    // The first query any of them sends resets every connection of that moment.
    let armed = true;
    const untap = proxy.tap((_conn, _chunk, fromClient) => {
      if (!fromClient || !armed) return;
      armed = false;
      queueMicrotask(() => proxy.reset());
    });
    const [sign, login, exported, removed] = await Promise.all([
      clinic.a.api.post(`/api/sessions/${id}/sign`, {}),
      new ApiClient(p1.baseUrl).post('/api/auth/login', { email: clinic.b.email, password: clinic.b.password }),
      clinic.a.api.get(`/api/sessions/${id}/export.md`),
      clinic.a.api.delete(`/api/sessions/${id}/process-note`),
    ]);
    untap();
    expect(armed).toBe(false);
    const statuses = [sign.status, login.status, exported.status, removed.status];
    expect(statuses.every((s) => s === 503 || (s >= 200 && s < 300)), `${statuses.join(' ')}\n${lastWords([p1])}`).toBe(true);
    // At least the request whose query was on the wire was refused (4 runs: 503 200 503 503 three times, 503 200 200 204 once).
    expect(statuses).toContain(503);

    // What was refused changed nothing; what was taken is there once.
    expect(await signatures()).toBe(sign.status === 503 ? 0 : 1);
    const notes = (await clinic.a.api.get(`/api/sessions/${id}/process-note`)).body;
    if (removed.status === 503) expect(notes).not.toBeNull();
    else expect(notes).toEqual(REMOVED_PROCESS_NOTES);

    if (sign.status === 503) expect((await clinic.a.api.post(`/api/sessions/${id}/sign`, {})).status).toBe(200);
    if (removed.status === 503) expect((await clinic.a.api.delete(`/api/sessions/${id}/process-note`)).status).toBe(204);
    expect(await signatures()).toBe(1);
    expect((await clinic.a.api.get(`/api/sessions/${id}/process-note`)).body).toEqual(REMOVED_PROCESS_NOTES);
    expect((await new ApiClient(p1.baseUrl).post('/api/auth/login', { email: clinic.b.email, password: clinic.b.password })).status).toBe(200);
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: 30_000 }).toMatchObject({ status: 200, store: 'up' });
    expect(isRunning(p1)).toBe(true);
  }, 120_000);
});
