import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/domain/audit';
import type { LoginThrottleView } from '../../shared/domain/throttle';
import { ApiClient, createClinic } from '../helpers/api';
import { describeWith, Redis, serviceUrl, uniqueRedisPrefix } from '../helpers/services';
import { startTestServer } from '../helpers/startTestServer';

/** Logs in as if from `address` (the server trusts one proxy, which reports it in X-Forwarded-For). */
const loginFrom = (baseUrl: string, address: string, email: string, password: string) =>
  new ApiClient(baseUrl).request('POST', '/api/auth/login', { email, password }, { 'x-forwarded-for': address });

describe('failed logins slow down guessing without locking the owner out', async () => {
  const server = await startTestServer({ env: { TRUST_PROXY: 'true', TANDEM_LOGIN_ATTEMPTS: '3' } });
  const clinic = await createClinic(server.baseUrl);
  const b = clinic.b;

  it('delays the guessing address, even with the right password, while the owner logs in from elsewhere', async () => {
    for (let i = 0; i < 3; i++) expect((await loginFrom(server.baseUrl, '203.0.113.7', b.email, 'wrong password')).status).toBe(401);
    const delayed = await loginFrom(server.baseUrl, '203.0.113.7', b.email, b.password);
    expect(delayed.status).toBe(429);
    // A short, growing delay, not the old 15-minute lockout.
    expect(Number(delayed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(delayed.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect((await loginFrom(server.baseUrl, '10.1.1.1', b.email, b.password)).status).toBe(200);
  });

  it('shows the admin who is being delayed, and lets the admin lift it (audited)', async () => {
    const address = '198.51.100.23';
    for (let i = 0; i < 3; i++) await loginFrom(server.baseUrl, address, clinic.a.email, 'wrong password');
    expect((await loginFrom(server.baseUrl, address, clinic.a.email, clinic.a.password)).status).toBe(429);

    expect((await clinic.a.api.get('/api/login-throttles')).status).toBe(403);
    const list = (await clinic.admin.api.get<LoginThrottleView[]>('/api/login-throttles')).body;
    const count = list.find((v) => v.kind === 'pair' && v.address === address && v.email === clinic.a.email);
    expect(count).toMatchObject({ failures: 3, retryAfterSeconds: expect.any(Number) });
    expect(count!.retryAfterSeconds).toBeGreaterThan(0);

    expect((await clinic.admin.api.delete(`/api/login-throttles/${encodeURIComponent(count!.id)}`)).status).toBe(204);
    expect((await clinic.admin.api.delete(`/api/login-throttles/${encodeURIComponent(count!.id)}`)).status).toBe(404);
    expect((await loginFrom(server.baseUrl, address, clinic.a.email, clinic.a.password)).status).toBe(200);
    await expect.poll(async () => (await clinic.admin.api.get<AuditEntryView[]>('/api/audit?limit=1000')).body.find((e) => e.action === 'login_throttle_cleared'))
      .toMatchObject({ actorId: clinic.admin.id, detail: { throttle: count!.id } });
  });
});

describeWith([Redis], 'failed logins are counted once for all server processes (Redis)', async () => {
  const url = new URL(serviceUrl(Redis));
  url.searchParams.set('prefix', uniqueRedisPrefix());
  const env = { TRUST_PROXY: 'true', TANDEM_LOGIN_ATTEMPTS: '3', REDIS_URL: url.toString() };
  const [one, two] = [await startTestServer({ env }), await startTestServer({ env })];

  it('delays at the second process what failed at the first', async () => {
    const email = 'nobody@clinic.test';
    for (let i = 0; i < 3; i++) expect((await loginFrom(one.baseUrl, '203.0.113.8', email, 'wrong password')).status).toBe(401);
    expect((await loginFrom(two.baseUrl, '203.0.113.8', email, 'wrong password')).status).toBe(429);
  });
});
