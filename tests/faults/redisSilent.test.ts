import { expect, it } from 'vitest';
import { ApiClient, createClinic, createSession } from '../helpers/api';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { healthOf } from '../helpers/health';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startCluster } from '../scaleout/cluster';

// Operator fault test, 2 Dec: with Redis refusing, a login with the right password answered 500;
// with Redis silent (connections accepted, nothing answered), logins hung past 40 s, a note opened
// meanwhile never loaded, and a reconnect made during the silence never recovered after it ended:
// no Redis command had a bound of its own.
describeWith([Postgres, Redis], 'Redis silent or refusing under one process', () => {
  it('lets people log in, opens notes, and comes back by itself once Redis does', async () => {
    let proxy: FaultProxy | null = null;
    const cluster = await startCluster(1, {
      via: async (urls) => {
        proxy = await startFaultProxy(urls.redisUrl);
        return { ...urls, redisUrl: proxy.url };
      },
    });
    const redis = proxy as unknown as FaultProxy;
    const [server] = cluster.servers;
    const clinic = await createClinic(server!.baseUrl);
    const login = (password: string) => new ApiClient(server!.baseUrl).post('/api/auth/login', { email: clinic.a.email, password }).then((r) => r.status);

    // Refusing: every connection closed, new ones reset at once.
    redis.cut();
    await expect.poll(() => healthOf(server!.baseUrl)).toMatchObject({ redis: 'down' });
    expect(await login(clinic.a.password)).toBe(200);
    expect(await login('not the password')).toBe(401);
    redis.heal();
    await expect.poll(() => healthOf(server!.baseUrl), { timeout: 30_000 }).toMatchObject({ status: 200, redis: 'up' });

    // Silent: the connections stay open and nothing more is answered.
    redis.blackhole();
    await expect.poll(() => healthOf(server!.baseUrl)).toMatchObject({ redis: 'down' });
    expect(await login(clinic.a.password)).toBe(200);
    // A note not open on this process loads, and takes its therapist's edits.
    const sessionId = await createSession(clinic);
    const a = connectClient(server!.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced, { timeout: 30_000 }).toBe(true);
    appendParagraph(a.doc, 'Written while Redis was silent.');
    await expect.poll(() => a.isSaved(), { timeout: 30_000 }).toBe(true);

    // Then reset: the reconnects' handshakes pass and their ready checks go unanswered.
    const before = redis.connections().length;
    redis.reset();
    await expect.poll(() => redis.connections().length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(before).toBeGreaterThan(0);
    redis.heal();
    await expect.poll(() => healthOf(server!.baseUrl), { timeout: 60_000 }).toMatchObject({ status: 200, redis: 'up' });
    a.destroy();
  }, 180_000);
});
