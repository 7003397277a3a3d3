import { expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import type { ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { connectClient } from '../helpers/connectClient';
import { freePort, missingLines, startCluster, startOwnRedis, storedNoteText, typeSteadily } from './cluster';

const health = async (p: ServerProcess) => (await fetch(`${p.baseUrl}/healthz`)).status;

// Needs the redis-server binary as well; TANDEM_TEST_REDIS_URL says Redis is part of this run.
describeWith([Postgres, Redis], 'Redis restarted while two therapists type on different processes', () => {
  it('keeps serving and storing, says so once, and converges both clients after Redis returns', async () => {
    const port = await freePort();
    let redis = await startOwnRedis(port);
    const cluster = await startCluster(2, { redisUrl: redis.url });
    const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
    const clinic = await createClinic(p1.baseUrl);
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    const typingA = typeSteadily(a, 'a', 20);
    const typingB = typeSteadily(b, 'b', 20);
    await expect.poll(() => a.text().includes('b-5') && b.text().includes('a-5')).toBe(true);

    await redis.stop();
    await expect.poll(() => health(p1)).toBe(503);
    // Each page is told that live sharing stopped, and so is one that connects meanwhile.
    const sharing = (c: typeof a) => c.notices.filter((n) => n.type === 'live-sharing').map((n) => n.type === 'live-sharing' && n.interrupted);
    await expect.poll(() => [sharing(a), sharing(b)]).toEqual([[true], [true]]);
    const late = connectClient(p1.baseUrl, sessionId, clinic.supervisor.api.cookie);
    await expect.poll(() => sharing(late)).toEqual([true]);
    // Each process keeps storing its own clients' edits while the other's cannot reach it.
    const typedA = typingA.typed.length;
    await expect.poll(() => typingA.confirmed.size > typedA + 10 && typingB.confirmed.size > 10).toBe(true);
    // What A typed and p1 stored during the outage has not reached B: fan-out is really down.
    const duringOutage = typingA.typed[typedA + 5]!;
    expect(typingA.confirmed.has(duringOutage)).toBe(true);
    expect(b.text()).not.toContain(duringOutage);

    redis = await startOwnRedis(port);
    await expect.poll(() => Promise.all([health(p1), health(p2)]), { timeout: 10_000 }).toEqual([200, 200]);
    await expect.poll(() => [sharing(a), sharing(b), sharing(late)]).toEqual([[true, false], [true, false], [true, false]]);
    late.destroy();
    await expect.poll(() => typingA.typed.length).toBeGreaterThan(typedA + 40);
    typingA.stop();
    typingB.stop();

    await expect.poll(() => a.text() === b.text(), { timeout: 15_000 }).toBe(true);
    expect(missingLines([...typingA.typed, ...typingB.typed], a.text())).toEqual([]);
    await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId), { timeout: 10_000 }).toBe(a.text());
    for (const p of [p1, p2]) {
      // Once per outage and connection: the fan-out's (whichever of its two went first), the compaction lock's, the login throttle's.
      const lost = (role: RegExp) => p.output.filter((l) => l.includes('Redis connection lost') && role.test(l));
      expect(lost(/\((publisher|subscriber)\)/).length).toBe(1);
      expect(lost(/\(compaction lock\)/).length).toBe(1);
      expect(lost(/\(login throttle\)/).length).toBe(1);
      expect(p.output.some((l) => l.includes('Redis connection back'))).toBe(true);
    }
  });
});
