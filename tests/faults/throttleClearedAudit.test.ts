import { describe, expect, it } from 'vitest';
import type { LoginThrottleView } from '../../shared/domain/throttle';
import { ApiClient, createClinic } from '../helpers/api';
import { refuseWrites } from '../helpers/refuseWrites';
import { startTestServer } from '../helpers/startTestServer';

// Of the kind the fault attack of 7 Dec found (a change made, then what follows it fails, answered
// 503), found reading the routes for it: an admin lifts a count of failed logins (kept apart from
// storage), and the audit record of it, a write of its own after it, is refused (a full disk). The
// count was gone, the answer 503, and the admin's retry 404.
describe('a count of failed logins lifted while the audit log refuses its record', async () => {
  const server = await startTestServer({ env: { TRUST_PROXY: 'true', TANDEM_LOGIN_ATTEMPTS: '3' } });
  const clinic = await createClinic(server.baseUrl);
  const loginFrom = (address: string, password: string) =>
    new ApiClient(server.baseUrl).request('POST', '/api/auth/login', { email: clinic.a.email, password }, { 'x-forwarded-for': address });

  it('answers 204, the count is gone, and the record is written once the log takes it', async () => {
    const address = '198.51.100.41';
    for (let i = 0; i < 3; i++) expect((await loginFrom(address, 'wrong password')).status).toBe(401);
    expect((await loginFrom(address, clinic.a.password)).status).toBe(429);
    const counts = (await clinic.admin.api.get<LoginThrottleView[]>('/api/login-throttles')).body;
    const count = counts.find((v) => v.kind === 'pair' && v.address === address)!;

    const restore = refuseWrites(server.dataDir, ['audit'], "NEW.action = 'login_throttle_cleared'");
    const lifted = await clinic.admin.api.delete(`/api/login-throttles/${encodeURIComponent(count.id)}`);
    expect(lifted.status).toBe(204);
    expect((await loginFrom(address, clinic.a.password)).status).toBe(200);
    restore();
    const recorded = async () =>
      (await clinic.admin.api.get<{ detail: { throttle?: string } }[]>('/api/audit?action=login_throttle_cleared&limit=100')).body.filter((e) => e.detail.throttle === count.id);
    await expect.poll(async () => (await recorded()).length, { timeout: 15_000 }).toBe(1);
  });
});
