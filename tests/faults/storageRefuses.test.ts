import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiClient, createClinic, createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { refuseWrites } from '../helpers/refuseWrites';
import { startTestServer } from '../helpers/startTestServer';
import { storedText } from '../helpers/storedNote';

interface Health {
  ok: boolean;
  store: 'up' | 'down' | 'failing';
}

describe('the database refuses writes (full disk, read-only volume)', async () => {
  const server = await startTestServer();
  const clinic = await createClinic(server.baseUrl);
  const health = async (): Promise<{ status: number; body: Health }> => {
    const res = await fetch(`${server.baseUrl}/healthz`);
    return { status: res.status, body: (await res.json()) as Health };
  };

  it('does not confirm edits, tells the client, keeps them, and stores them once writes work again', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'before the outage');
    await expect.poll(() => a.isSaved()).toBe(true);

    // A second connection to the same database makes every insert fail, as SQLITE_FULL would.
    const db = new Database(path.join(server.dataDir, 'tandem.db'));
    db.exec("CREATE TRIGGER refuse_writes BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;");
    appendParagraph(a.doc, 'written during the outage');
    await expect.poll(() => a.notices.some((n) => n.type === 'save-failed')).toBe(true);
    expect(a.isSaved()).toBe(false);
    // The other therapist still sees it live: the note is kept in memory while storage is down.
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.text()).toContain('written during the outage');
    expect(await storedText({ dataDir: server.dataDir }, sessionId)).not.toContain('written during the outage');
    // Reads still work, so a ping would say all is well; the health check says storage is failing.
    expect(await health()).toEqual({ status: 503, body: { ok: false, store: 'failing', redis: 'off' } });

    db.exec('DROP TRIGGER refuse_writes');
    db.close();
    await expect.poll(() => a.notices.some((n) => n.type === 'save-recovered'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(await storedText({ dataDir: server.dataDir }, sessionId)).toContain('written during the outage');
    await expect.poll(async () => (await health()).status).toBe(200);
  });

  it('answers a login with 503 "storage unavailable" while the login cannot be stored', async () => {
    const restore = refuseWrites(server.dataDir, ['logins', 'audit']);
    const api = new ApiClient(server.baseUrl);
    const refused = await api.post<{ error: { code: string; message: string } }>('/api/auth/login', { email: clinic.b.email, password: clinic.b.password });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toEqual({ code: 'storage_unavailable', message: expect.stringMatching(/storage is unavailable/i) });
    expect(refused.headers.get('retry-after')).toBe('5');
    // Reading goes on: a logged-in request is not refused because its login's activity cannot be stored.
    expect((await clinic.admin.api.get('/api/me')).status).toBe(200);
    restore();
    expect((await api.post('/api/auth/login', { email: clinic.b.email, password: clinic.b.password })).status).toBe(200);
  });

  it('reports failing storage on /healthz when nothing else is written, by writing itself', async () => {
    const restore = refuseWrites(server.dataDir, ['note', 'audit', 'logins', 'check']);
    // Idle: no write of the server's own says anything; the check's write (once the last outcome
    // is five seconds old) finds out.
    await expect.poll(async () => (await health()).body, { timeout: 20_000, interval: 500 }).toEqual({ ok: false, store: 'failing', redis: 'off' });
    restore();
    await expect.poll(async () => (await health()).status, { timeout: 20_000, interval: 500 }).toBe(200);
  });
});
