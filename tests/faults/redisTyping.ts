import { expect } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { dependenciesUp, healthOf } from '../helpers/health';
import { isRunning, lastWords, type ServerProcess } from '../helpers/startTestServer';
import { connectClient, type TestClient } from '../helpers/connectClient';
import { missingLines, startCluster, storedNoteText, typeSteadily } from '../scaleout/cluster';

/** What a page was told about live sharing, in order: true when interrupted, false when back. */
export const sharing = (c: TestClient) => c.notices.flatMap((n) => (n.type === 'live-sharing' ? [n.interrupted] : []));
export const linesOf = (p: ServerProcess, text: string) => p.output.filter((l) => l.includes(text));

/**
 * Two processes, each reaching Redis (and with `databaseProxies` PostgreSQL) through a fault proxy
 * of its own, and two therapists typing, one on each. The fault is made on process 1's proxy; `recovered` waits for process 1 to share
 * live again and both clients to converge on the stored note.
 */
export async function twoTypingTherapists(opts: { databaseProxies?: boolean } = {}) {
  const proxies: FaultProxy[] = [];
  const databaseProxies: FaultProxy[] = [];
  const cluster = await startCluster(2, {
    via: async (urls, i) => {
      proxies[i] = await startFaultProxy(urls.redisUrl);
      if (opts.databaseProxies) databaseProxies[i] = await startFaultProxy(urls.databaseUrl);
      return { databaseUrl: databaseProxies[i]?.url ?? urls.databaseUrl, redisUrl: proxies[i]!.url };
    },
  });
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(p1.baseUrl);
  const sessionId = await createSession(clinic);
  const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
  const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
  await expect.poll(() => a.provider.synced && b.provider.synced, { timeout: 30_000 }).toBe(true);
  const typingA = typeSteadily(a, 'a', 40);
  const typingB = typeSteadily(b, 'b', 50);
  const hearEachOther = async (what: string) => {
    const [fromA, fromB] = [typingA.typed.at(-1)!, typingB.typed.at(-1)!];
    await expect.poll(() => b.text().includes(fromA) && a.text().includes(fromB), { timeout: 60_000, message: `${what}: the clients did not hear each other\n${lastWords(cluster.servers)}` }).toBe(true);
  };
  /** Stops the typing; both clients hold every line typed, saved, as stored, and both processes run on. */
  const converged = async () => {
    typingA.stop();
    typingB.stop();
    await expect.poll(() => a.text() === b.text() && a.isSaved() && b.isSaved(), { timeout: 60_000 }).toBe(true);
    expect(missingLines([...typingA.typed, ...typingB.typed], a.text())).toEqual([]);
    await expect.poll(() => storedNoteText(cluster.databaseUrl, sessionId), { timeout: 30_000 }).toBe(a.text());
    expect(cluster.servers.every(isRunning), lastWords(cluster.servers)).toBe(true);
  };
  await expect.poll(() => typingA.typed.length > 0 && typingB.typed.length > 0).toBe(true);
  await hearEachOther('start');
  return {
    p1, p2, a, b, proxy: proxies[0]!, hearEachOther, databaseUrl: cluster.databaseUrl,
    /** Each process's own proxy in front of PostgreSQL, with `databaseProxies`. */
    databaseProxies,
    /** Process 1 says the outage the way a lost connection is said: log, page notice, /healthz, metrics. */
    reported: async (role: RegExp) => {
      await expect.poll(() => p1.output.some((l) => role.test(l)), { timeout: 60_000, message: `no "Redis connection lost" line\n${lastWords([p1])}` }).toBe(true);
      await expect.poll(() => sharing(a), { timeout: 60_000 }).toEqual([true]);
      expect(await healthOf(p1.baseUrl)).toMatchObject({ status: 503, store: 'up', redis: 'down' });
      expect(await dependenciesUp(p1.baseUrl)).toEqual({ store: 1, redis: 0 });
    },
    /** Called just after healing; returns how long until process 1 shared live again and the clients heard each other. */
    recovered: async (): Promise<number> => {
      const healedAt = performance.now();
      for (const p of cluster.servers) {
        await expect.poll(() => healthOf(p.baseUrl), { timeout: 60_000, message: `/healthz of ${p.baseUrl}\n${lastWords(cluster.servers)}` }).toMatchObject({ status: 200, redis: 'up' });
      }
      expect(await dependenciesUp(p1.baseUrl)).toEqual({ store: 1, redis: 1 });
      await expect.poll(() => sharing(a), { timeout: 60_000 }).toEqual([true, false]);
      await hearEachOther('after healing');
      const recoveredMs = Math.round(performance.now() - healedAt);
      await converged();
      return recoveredMs;
    },
    converged,
    /** How many lines each has typed so far. */
    typedCount: () => Math.min(typingA.typed.length, typingB.typed.length),
  };
}
