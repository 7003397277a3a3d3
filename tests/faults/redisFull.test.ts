import { expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { dependenciesUp, healthOf } from '../helpers/health';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning, lastWords } from '../helpers/startTestServer';
import { proxiedProcess } from './proxied';
import { linesOf } from './redisTyping';

const OOM = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";
/** What a full Redis (maxmemory, noeviction) answers writes with; PING, reads and DEL still pass. */
const refuseWrites = (reply: Buffer) => Buffer.from(reply.toString('latin1').replace(/(:\d+|\+OK)\r\n/g, OOM), 'latin1');

describeWith([Postgres, Redis], 'A full Redis that refuses the login throttle\'s counts while it answers PING', () => {
  // Operator fault test, 6 Dec: every failed login went uncounted (an error line each), while
  // /healthz said 200 `redis: up` and tandem_dependency_up{redis} 1.
  it('says logins go unthrottled in /healthz and /metrics, logs it once, and clears once Redis takes writes', async () => {
    const { p1, proxy, clinic } = await proxiedProcess('redisUrl');
    expect(await healthOf(p1.baseUrl)).toMatchObject({ status: 200, redis: 'up' });
    proxy.rewriteReplies(/tandem-login-throttle/, refuseWrites);
    // Seen before anyone mistypes a password (the check writes a probe key).
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: 30_000 }).toMatchObject({ status: 503, store: 'up', redis: 'failing' });
    const guess = () => new ApiClient(p1.baseUrl).post('/api/auth/login', { email: clinic.a.email, password: 'wrong guess' });
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(401);
    expect(await healthOf(p1.baseUrl)).toMatchObject({ status: 503, redis: 'failing' });
    expect(await dependenciesUp(p1.baseUrl)).toEqual({ store: 1, redis: 0 });
    expect(linesOf(p1, 'login throttle unavailable')).toHaveLength(1);
    proxy.heal();
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: 30_000, message: lastWords([p1]) }).toMatchObject({ status: 200, redis: 'up' });
    expect(await dependenciesUp(p1.baseUrl)).toEqual({ store: 1, redis: 1 });
    expect(linesOf(p1, 'login throttle counting again')).toHaveLength(1);
    expect(isRunning(p1)).toBe(true);
  }, 120_000);
});
