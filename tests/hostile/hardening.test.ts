import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiClient, createClinic, createSession } from '../helpers/api';
import { upgradeStatus } from '../helpers/rawSocket';
import { startServerProcess, startTestServer, tempDir } from '../helpers/startTestServer';
import { startClinic } from '../helpers/clinic';

describe('badly percent-encoded addresses', () => {
  it('are answered 400, not 500, and leave no error in the log', async () => {
    const server = await startServerProcess({ dataDir: tempDir() });
    const clinic = await createClinic(server.baseUrl);
    for (const p of ['/api/sessions/%ZZ', '/api/sessions/%E0%A4%A', '/api/sessions/%ZZ/review', '/api/users/%/logins']) {
      const res = await clinic.a.api.get<{ error: { code: string } }>(p);
      expect(res.status, p).toBe(400);
      expect(res.body.error.code, p).toBe('invalid_path');
    }
    await server.kill('SIGTERM');
    const log = server.output.join('\n');
    expect(log).not.toContain('"level":"error"');
    expect(log).not.toContain('URIError');
  });
});

describe('the origin check compares the scheme too', async () => {
  const { server, clinic } = await startClinic();
  const sessionId = await createSession(clinic);
  const host = new URL(server.baseUrl).host;
  const write = (origin: string, headers: Record<string, string> = {}) =>
    clinic.a.api.request('POST', '/api/sessions', { title: 'Origin check', kind: 'individual' }, { origin, ...headers });
  const upgrade = (origin: string, headers: Record<string, string> = {}) =>
    upgradeStatus(server.baseUrl, `/sync/${sessionId}`, { cookie: clinic.a.api.cookie!, origin, ...headers });

  it('accepts our own origin and refuses the same host under another scheme, for writes and websockets', async () => {
    expect((await write(`http://${host}`)).status).toBe(201);
    expect(await upgrade(`http://${host}`)).toBe(101);
    for (const origin of [`https://${host}`, `ws://${host}`, 'null']) {
      expect((await write(origin)).status, origin).toBe(403);
      expect(await upgrade(origin), origin).toBe(403);
    }
  });

  it('ignores a proxy’s X-Forwarded-* headers unless TRUST_PROXY is set', async () => {
    const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'notes.clinic.test' };
    expect((await write('https://notes.clinic.test', proxied)).status).toBe(403);
    expect(await upgrade('https://notes.clinic.test', proxied)).toBe(403);
  });
});

describe('the origin check behind a trusted proxy (TRUST_PROXY=true)', async () => {
  const server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
  const clinic = await createClinic(server.baseUrl);
  const sessionId = await createSession(clinic);
  const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'notes.clinic.test' };

  it('accepts the proxy’s public origin and refuses it under plain http', async () => {
    const write = (origin: string) => clinic.a.api.request('POST', '/api/sessions', { title: 'Behind a proxy', kind: 'individual' }, { origin, ...proxied });
    const upgrade = (origin: string) => upgradeStatus(server.baseUrl, `/sync/${sessionId}`, { cookie: clinic.a.api.cookie!, origin, ...proxied });
    expect((await write('https://notes.clinic.test')).status).toBe(201);
    expect(await upgrade('https://notes.clinic.test')).toBe(101);
    expect((await write('http://notes.clinic.test')).status).toBe(403);
    expect(await upgrade('http://notes.clinic.test')).toBe(403);
  });
});

describe('what the browser is allowed to load', async () => {
  const clientDir = tempDir();
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Tandem</title>');
  fs.mkdirSync(path.join(clientDir, 'assets'));
  fs.writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'console.log(1);\n//# sourceMappingURL=app.js.map');
  fs.writeFileSync(path.join(clientDir, 'assets', 'app.js.map'), '{"version":3,"sourcesContent":["the client source"]}');
  const server = await startTestServer({ env: { TANDEM_CLIENT_DIR: clientDir } });

  it('lets the page open websockets only to its own host (connect-src)', async () => {
    const csp = (await fetch(`${server.baseUrl}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/(^|;)\s*connect-src 'self'\s*(;|$)/);
    expect(csp).not.toMatch(/\bwss?:/);
  });

  it('never serves source maps, even one left in the client folder', async () => {
    expect((await fetch(`${server.baseUrl}/assets/app.js`)).status).toBe(200);
    const map = await fetch(`${server.baseUrl}/assets/app.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('the client source');
  });

  it('builds the client without source maps', async () => {
    const config = (await import('../../vite.config')).default as { build?: { sourcemap?: unknown } };
    expect(config.build?.sourcemap).toBe(false);
  });
});

describe('/metrics', () => {
  it('requires the bearer token when TANDEM_METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-for-the-test-0123456789';
    const server = await startTestServer({ env: { TANDEM_METRICS_TOKEN: token } });
    const get = (authorization?: string) => fetch(`${server.baseUrl}/metrics`, { headers: authorization ? { authorization } : {} });
    for (const wrong of [undefined, 'Bearer nope', `Basic ${token}`, `Bearer ${token}x`]) {
      const res = await get(wrong);
      expect(res.status, String(wrong)).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
    }
    const ok = await get(`Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('tandem_connections');
  });

  it('refuses a token too short to be a secret at start', async () => {
    await expect(startTestServer({ env: { TANDEM_METRICS_TOKEN: 'short' } })).rejects.toThrow(/TANDEM_METRICS_TOKEN/);
  });

  it('stays open without a token (documented: block it at the proxy)', async () => {
    const server = await startTestServer();
    expect((await new ApiClient(server.baseUrl).get('/metrics')).status).toBe(200);
  });
});
