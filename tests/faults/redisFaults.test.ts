import { expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { startFaultProxy, type FaultProxy, type ProxiedConnection } from '../helpers/faultProxy';
import { dependenciesUp, healthOf, watchResponsiveness } from '../helpers/health';
import { isRunning, lastWords, type ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { connectClient } from '../helpers/connectClient';
import { missingLines, startCluster, storedNoteText, typeSteadily } from '../scaleout/cluster';

const ROUNDS = Number(process.env.TANDEM_FAULT_ROUNDS ?? 12);

/** The process's publisher or subscriber connection, told apart by the name ioredis gives it. */
const connectionOf = (proxy: FaultProxy, role: 'pub' | 'sub'): ProxiedConnection | undefined =>
  proxy.connections().findLast((c) => c.sent.includes(`tandem-${role}-`));
/** ioredis's ready check: the last command of a reconnect before the connection is 'ready'. */
const isReadyCheck = (chunk: Buffer) => chunk.toString('latin1').toLowerCase().includes('\r\ninfo\r\n');

describeWith([Postgres, Redis], 'Redis connections dropped, black-holed, reset, cut and slowed while two therapists type on two processes', () => {
  it('keeps both processes responsive, tells the truth on /healthz, converges and stores every confirmed edit', async () => {
    const proxies: FaultProxy[] = [];
    const cluster = await startCluster(2, {
      via: async (urls, i) => {
        const proxy = await startFaultProxy(urls.redisUrl);
        proxies[i] = proxy;
        return { ...urls, redisUrl: proxy.url };
      },
    });
    const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
    const [proxy1] = proxies as [FaultProxy, FaultProxy];
    const allRunning = () => cluster.servers.every(isRunning);
    const watched = cluster.servers.map((p) => watchResponsiveness(p.baseUrl));
    const clinic = await createClinic(p1.baseUrl);
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced, { timeout: 10_000 }).toBe(true);
    const typingA = typeSteadily(a, 'a', 10);
    const typingB = typeSteadily(b, 'b', 13);
    /** Both processes healthy again, and each client has the other's newest line: fan-out works both ways. */
    const recovered = async (what: string) => {
      for (const p of cluster.servers) {
        await expect.poll(() => healthOf(p.baseUrl), { timeout: 60_000, message: `${what}: /healthz of ${p.baseUrl}\n${lastWords(cluster.servers)}` }).toMatchObject({ status: 200, redis: 'up' });
      }
      const [fromA, fromB] = [typingA.typed.at(-1)!, typingB.typed.at(-1)!];
      // What each process said meanwhile, read when it fails (a CI run, 7 Dec, failed here with no trace of why).
      await expect.poll(() => b.text().includes(fromA) && a.text().includes(fromB), { timeout: 60_000 }).toBe(true).catch(async (err: unknown) => {
        const health = await Promise.all(cluster.servers.map((p) => healthOf(p.baseUrl)));
        throw new Error(`${what}: clients did not hear each other; /healthz now ${JSON.stringify(health)}\n${lastWords(cluster.servers)}`, { cause: err });
      });
      expect(allRunning(), `${what}: a process exited\n${lastWords(cluster.servers)}`).toBe(true);
    };
    await expect.poll(() => typingA.typed.length > 0 && typingB.typed.length > 0).toBe(true);
    await recovered('start');

    // The case seen in the field: the publisher drops, and as it comes back (its ready check on
    // the wire) the subscriber's connection ends, so recovery runs with a subscriber that still
    // looks ready but cannot write.
    const recoverMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A loaded run (4 Dec) found no publisher connection through the proxy between two rounds,
      // though the round before had recovered: wait for one rather than fail on none.
      await expect.poll(() => connectionOf(proxy1, 'pub'), { timeout: 30_000 }).toBeDefined();
      const oldPub = connectionOf(proxy1, 'pub')!;
      const untap = proxy1.tap((conn, chunk, fromClient) => {
        if (!fromClient || conn === oldPub || !conn.sent.includes('tandem-pub-') || !isReadyCheck(chunk)) return;
        untap();
        connectionOf(proxy1, 'sub')?.end();
      });
      const started = performance.now();
      oldPub.reset();
      await recovered(`round ${round}`);
      untap();
      recoverMs.push(performance.now() - started);
    }

    // A dead link: nothing arrives, nothing fails. /healthz says so within its bound.
    proxy1.blackhole();
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: 10_000 }).toMatchObject({ status: 503, store: 'up', redis: 'down' });
    proxy1.heal();
    let healed = performance.now();
    await recovered('black hole');
    const blackholeMs = performance.now() - healed;

    // Every connection of both processes reset at once.
    for (const proxy of proxies) proxy.reset();
    healed = performance.now();
    await recovered('reset');
    const resetMs = performance.now() - healed;

    // Redis gone for a while: both say so, keep storing their own clients' edits, and catch up.
    for (const proxy of proxies) proxy.cut();
    for (const p of cluster.servers) await expect.poll(() => healthOf(p.baseUrl), { timeout: 10_000 }).toMatchObject({ status: 503, store: 'up', redis: 'down' });
    expect(await dependenciesUp(p2.baseUrl)).toEqual({ store: 1, redis: 0 });
    const confirmedAtCut = typingA.confirmed.size;
    await expect.poll(() => typingA.confirmed.size, { timeout: 10_000 }).toBeGreaterThan(confirmedAtCut + 20);
    for (const proxy of proxies) proxy.heal();
    healed = performance.now();
    await recovered('cut');
    const cutMs = performance.now() - healed;
    expect(await dependenciesUp(p2.baseUrl)).toEqual({ store: 1, redis: 1 });

    // A slow link (150 ms each way per chunk) is not an outage: healthy, and edits still cross.
    for (const proxy of proxies) proxy.slow(150);
    await recovered('slow');
    for (const proxy of proxies) proxy.heal();

    typingA.stop();
    typingB.stop();
    await expect.poll(() => a.text() === b.text() && a.isSaved() && b.isSaved(), { timeout: 30_000 }).toBe(true);
    const stored = await storedNoteText(cluster.databaseUrl, sessionId);
    const confirmed = [...typingA.confirmed, ...typingB.confirmed];
    expect(missingLines(confirmed, stored)).toEqual([]);
    expect(missingLines([...typingA.typed, ...typingB.typed], stored)).toEqual([]);
    expect(stored).toBe(a.text());
    expect(allRunning(), lastWords(cluster.servers)).toBe(true);
    await Promise.all(watched.map((w) => w.stop()));
    for (const w of watched) expect(w.stats.unanswered, 'health checks not answered within 5 s').toBe(0);
    console.log(`[figures] redis faults: ${JSON.stringify({
      rounds: ROUNDS, confirmed: confirmed.length, typed: typingA.typed.length + typingB.typed.length, lost: missingLines(confirmed, stored).length,
      pubDropSubEndRecoverMs: recoverMs.map(Math.round), blackholeRecoverMs: Math.round(blackholeMs), resetRecoverMs: Math.round(resetMs),
      cutRecoverMs: Math.round(cutMs), failedResubscribes: p1.output.filter((l) => l.includes('re-subscribing after a Redis outage failed')).length,
      slowestHealthzMs: Math.round(Math.max(...watched.map((w) => w.stats.slowestMs))),
    })}`);
  }, 180_000 + ROUNDS * 60_000);
});
