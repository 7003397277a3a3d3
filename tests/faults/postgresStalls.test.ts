import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { healthOf, type Health } from '../helpers/health';
import { metricValue } from '../helpers/metrics';
import { isRunning, lastWords, type ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis, rawPostgres, serviceUrl } from '../helpers/services';
import { connectClient } from '../helpers/connectClient';
import { missingLines, startCluster, storedNoteText, typeSteadily } from '../scaleout/cluster';

/**
 * Short bounds, so a stall shows within seconds: a statement may run 1.5 s (the client gives up
 * at 2.5 s), a lock is waited for 0.5 s, and an edit unconfirmed for 1 s means storage stalled.
 */
const BOUNDS = { TANDEM_PG_STATEMENT_TIMEOUT_MS: '1500', TANDEM_PG_LOCK_TIMEOUT_MS: '500', TANDEM_STORE_STALL_MS: '1000' };

/** Stuck-test bound for anything that should happen "soon" (the machine is shared and slow). */
const STUCK = 60_000;

const warnings = (p: ServerProcess, after: number) =>
  p.output.slice(after).filter((l) => /"level":"(warn|error)"/.test(l)).map((l) => /"msg":"([^"]+)"/.exec(l)?.[1] ?? l);

/** A session with therapist A typing on `p1` and B on `p2`, once both synced. */
async function typistsOn(p1: ServerProcess, p2: ServerProcess) {
  const clinic = await createClinic(p1.baseUrl);
  const sessionId = await createSession(clinic);
  const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
  const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
  await expect.poll(() => a.provider.synced && b.provider.synced, { timeout: STUCK }).toBe(true);
  const typingA = typeSteadily(a, 'a', 20);
  const typingB = typeSteadily(b, 'b', 25);
  /** Stops typing; both clients converge and are saved, every typed line is stored, no process exited. */
  const finish = async (databaseUrl: string, servers: ServerProcess[]) => {
    typingA.stop();
    typingB.stop();
    await expect.poll(() => a.text() === b.text() && a.isSaved() && b.isSaved(), { timeout: STUCK }).toBe(true);
    expect(missingLines([...typingA.typed, ...typingB.typed], await storedNoteText(databaseUrl, sessionId))).toEqual([]);
    expect(servers.every(isRunning), lastWords(servers)).toBe(true);
  };
  return { clinic, sessionId, a, b, typingA, typingB, finish };
}

/** Two processes, each reaching PostgreSQL through its own fault proxy, two therapists typing in one note. */
async function typingPair(env: Record<string, string> = BOUNDS) {
  const proxies: FaultProxy[] = [];
  const cluster = await startCluster(2, {
    env,
    via: async (urls, i) => {
      proxies[i] = await startFaultProxy(urls.databaseUrl);
      return { ...urls, databaseUrl: proxies[i].url };
    },
  });
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
  const typists = await typistsOn(p1, p2);
  const { clinic, sessionId, a, b, typingA, typingB } = typists;
  const confirmedMore = (n: number) => {
    const [ca, cb] = [typingA.confirmed.size, typingB.confirmed.size];
    return () => typingA.confirmed.size >= ca + n && typingB.confirmed.size >= cb + n;
  };
  await expect.poll(confirmedMore(10), { timeout: STUCK }).toBe(true);
  const finish = () => typists.finish(cluster.databaseUrl, cluster.servers);
  return { cluster, proxies: proxies as [FaultProxy, FaultProxy], p1, p2, clinic, sessionId, a, b, typingA, typingB, confirmedMore, finish };
}

describeWith([Postgres, Redis], 'PostgreSQL that answers nothing, crawls, or refuses new connections', () => {
  it('one silent connection holding a note lock: saves resume on both processes, the failure is told', async () => {
    const { proxies, p1, p2, a, confirmedMore, finish } = await typingPair();
    const logFrom = p1.output.length;
    // The next append of process 1 takes the note's lock, and its connection goes silent after sending it.
    await proxies[0].freezeAfter(/tandem:doc:/);
    const since = performance.now();
    // Without bounds both processes wait for that lock as long as the connection stays silent (minutes).
    await expect.poll(confirmedMore(5), { timeout: STUCK, message: 'no edit confirmed on either process while one connection is silent' }).toBe(true);
    const resumedMs = Math.round(performance.now() - since);
    expect(warnings(p1, logFrom)).toContain('storing note updates failed; keeping them in memory and retrying');
    expect(await metricValue(p1.baseUrl, 'tandem_store_writes_failed_total')).toBeGreaterThan(0);
    expect(a.notices.map((n) => n.type)).toContain('save-failed');
    proxies[0].heal();
    await finish();
    console.log(`[figures] frozen lock holder: saves resumed on both processes ${resumedMs} ms after the freeze; p2 warnings ${JSON.stringify(warnings(p2, 0))}`);
  }, 240_000);

  // Attack, 4 Dec: /healthz asks no login, and each request made its own attempt to reach a
  // PostgreSQL that was down (100 requests, 63 connection attempts in 5 s).
  it('a flood of /healthz while PostgreSQL refuses connections reaches it about once a second, not once a request', async () => {
    const { proxies, p1, finish } = await typingPair();
    proxies[0].cut();
    await expect.poll(() => healthOf(p1.baseUrl, 10_000), { timeout: STUCK }).toMatchObject({ status: 503, store: 'down' });
    const before = proxies[0].opened();
    const started = performance.now();
    const answers: Health[] = [];
    for (let i = 0; i < 10; i++) answers.push(...(await Promise.all(Array.from({ length: 10 }, () => healthOf(p1.baseUrl, 10_000)))));
    const seconds = (performance.now() - started) / 1000;
    const attempts = proxies[0].opened() - before;
    expect(answers.every((h) => h.status === 503 && h.store === 'down')).toBe(true);
    // The process's own reconnection (with backoff) and one health round a second, whatever the rate.
    expect(attempts).toBeLessThanOrEqual(4 + 3 * Math.ceil(seconds));
    console.log(`[figures] 100 /healthz in ${seconds.toFixed(1)} s: ${attempts} connection attempts`);
    proxies[0].heal();
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: STUCK }).toMatchObject({ status: 200, store: 'up' });
    await finish();
  }, 240_000);

  it('a crawling link: /healthz, /metrics, the log and the writers say storage is stalled, and all is saved once it is fast', async () => {
    const { proxies, p1, a, finish } = await typingPair();
    const logFrom = p1.output.length;
    proxies[0].slow(400);
    await expect.poll(() => healthOf(p1.baseUrl, 10_000), { timeout: STUCK }).toMatchObject({ status: 503, store: 'failing' });
    expect(await metricValue(p1.baseUrl, 'tandem_store_oldest_unsaved_seconds')).toBeGreaterThan(1);
    expect(warnings(p1, logFrom)).toContain('note updates wait for storage past the stall bound; keeping them and waiting');
    expect(a.notices.map((n) => n.type)).toContain('save-failed');
    proxies[0].heal();
    const healed = performance.now();
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: STUCK }).toMatchObject({ status: 200, store: 'up' });
    const healthyMs = Math.round(performance.now() - healed);
    await expect.poll(() => a.notices.some((n) => n.type === 'save-recovered'), { timeout: STUCK }).toBe(true);
    await expect.poll(() => metricValue(p1.baseUrl, 'tandem_store_oldest_unsaved_seconds'), { timeout: STUCK }).toBeLessThan(1);
    await finish();
    console.log(`[figures] crawling link: /healthz 200 ${healthyMs} ms after the link was fast again`);
  }, 240_000);

  it('refusing new connections (53300) and accepting again: an opening is closed with 4503 and a reason, saving resumes', async () => {
    const role = `tandem_refuse_${randomBytes(3).toString('hex')}`;
    const base = serviceUrl(Postgres);
    await rawPostgres(base, `CREATE ROLE ${role} LOGIN NOSUPERUSER`);
    try {
      const cluster = await startCluster(2, {
        env: BOUNDS,
        via: async (urls, i) => {
          const u = new URL(urls.databaseUrl);
          const schema = /search_path=(\w+)/.exec(decodeURIComponent(u.search))![1]!;
          if (i === 0) await rawPostgres(base, `GRANT ALL ON SCHEMA ${schema} TO ${role}`);
          u.username = role;
          return { ...urls, databaseUrl: u.toString() };
        },
      });
      const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
      const { clinic, sessionId, a, b, typingA, typingB, finish } = await typistsOn(p1, p2);
      await expect.poll(() => typingA.confirmed.size > 10 && typingB.confirmed.size > 10, { timeout: STUCK }).toBe(true);

      await rawPostgres(base, `ALTER ROLE ${role} CONNECTION LIMIT 0`);
      await rawPostgres(base, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${role}'`);
      for (const p of [p1, p2]) await expect.poll(() => healthOf(p.baseUrl), { timeout: STUCK }).toMatchObject({ status: 503, store: 'down' });
      await expect.poll(() => a.notices.some((n) => n.type === 'save-failed') && b.notices.some((n) => n.type === 'save-failed'), { timeout: STUCK }).toBe(true);
      // Someone opening the note now cannot be checked: the close says why, instead of a bare 1006.
      const late = connectClient(p2.baseUrl, sessionId, clinic.supervisor.api.cookie);
      await expect.poll(() => late.closes[0], { timeout: STUCK }).toEqual({ code: 4503, reason: 'storage unavailable; retrying' });

      await rawPostgres(base, `ALTER ROLE ${role} CONNECTION LIMIT -1`);
      const lifted = performance.now();
      const mark = { a: typingA.confirmed.size, b: typingB.confirmed.size };
      await expect.poll(() => typingA.confirmed.size > mark.a + 3 && typingB.confirmed.size > mark.b + 3, { timeout: STUCK }).toBe(true);
      const savedMs = Math.round(performance.now() - lifted);
      await expect.poll(() => late.provider.synced, { timeout: STUCK }).toBe(true);
      await finish(cluster.databaseUrl, cluster.servers);
      console.log(`[figures] refusal lifted: both processes confirm again ${savedMs} ms later`);
    } finally {
      await rawPostgres(base, `ALTER ROLE ${role} CONNECTION LIMIT -1`).catch(() => undefined);
    }
  }, 240_000);
});
