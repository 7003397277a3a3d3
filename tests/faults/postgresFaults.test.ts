import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { createClinic, createSession } from '../helpers/api';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { dependenciesUp, healthOf, watchResponsiveness } from '../helpers/health';
import { isRunning, lastWords, type ServerProcess } from '../helpers/startTestServer';
import { describeWith, Postgres, Redis, terminatePostgresBackends } from '../helpers/services';
import { connectClient } from '../helpers/connectClient';
import { missingLines, startCluster, storedNoteText, typeSteadily } from '../scaleout/cluster';

const ROUNDS = Number(process.env.TANDEM_FAULT_ROUNDS ?? 6);

describeWith([Postgres, Redis], 'PostgreSQL connections killed, reset, cut and black-holed while two therapists type on two processes', () => {
  it('keeps both processes up, tells the truth on /healthz, stores every confirmed edit and converges', async () => {
    // Each process reaches PostgreSQL through a proxy of its own, under a name its backends can be found by.
    const tag = `tandem-fault-${randomBytes(3).toString('hex')}`;
    const proxies: FaultProxy[] = [];
    const cluster = await startCluster(2, {
      via: async (urls, i) => {
        const proxy = await startFaultProxy(urls.databaseUrl);
        proxies[i] = proxy;
        const url = new URL(proxy.url);
        url.searchParams.set('application_name', `${tag}-${i}`);
        return { ...urls, databaseUrl: url.toString() };
      },
    });
    const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess];
    const allRunning = () => cluster.servers.every(isRunning);
    const watched = cluster.servers.map((p) => watchResponsiveness(p.baseUrl));
    const clinic = await createClinic(p1.baseUrl);
    const sessionId = await createSession(clinic);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(p2.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced, { timeout: 10_000 }).toBe(true);
    const typingA = typeSteadily(a, 'a', 10);
    const typingB = typeSteadily(b, 'b', 13);
    /** True once both clients had `n` more lines confirmed than now (or a process died: the caller checks). */
    const confirmedMore = (n: number) => {
      const [ca, cb] = [typingA.confirmed.size, typingB.confirmed.size];
      return () => (typingA.confirmed.size >= ca + n && typingB.confirmed.size >= cb + n) || !allRunning();
    };
    await expect.poll(confirmedMore(20), { timeout: 10_000 }).toBe(true);

    // Half the rounds end Tandem's backends from the server side (what a PostgreSQL restart or an
    // operator does: FATAL 57P01, then the socket closes), half reset the TCP connections (RST).
    const recoverMs: number[] = [];
    let terminated = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const more = confirmedMore(5);
      const started = performance.now();
      if (round % 2 === 0) terminated += await terminatePostgresBackends(tag);
      else for (const proxy of proxies) proxy.reset();
      // Generous: on a loaded machine (other suites, other work) a round has taken up to 18.5 s.
      await expect.poll(more, { timeout: 60_000, message: `round ${round}: no edit confirmed after the fault` }).toBe(true);
      expect(allRunning(), `round ${round}: a process exited\n${lastWords(cluster.servers)}`).toBe(true);
      recoverMs.push(performance.now() - started);
    }
    expect(terminated).toBeGreaterThan(0);

    // PostgreSQL unreachable, refusing (cut) or silent (black hole): /healthz names the store
    // within its bound, edits are kept but not confirmed as saved, and all is saved once it is back.
    const outage = async (fault: 'cut' | 'blackhole') => {
      for (const proxy of proxies) proxy[fault]();
      for (const p of cluster.servers) await expect.poll(() => healthOf(p.baseUrl), { timeout: 10_000 }).toMatchObject({ status: 503, store: 'down', redis: 'up' });
      expect(await dependenciesUp(p1.baseUrl)).toEqual({ store: 0, redis: 1 });
      const typedAt = typingA.typed.length;
      await expect.poll(() => typingA.typed.length, { timeout: 10_000 }).toBeGreaterThan(typedAt + 50);
      const typedDuring = typingA.typed.slice(typedAt + 10, typedAt + 40);
      expect(typedDuring.filter((line) => typingA.confirmed.has(line)), `${fault}: confirmed while the store was unreachable`).toEqual([]);
      for (const proxy of proxies) proxy.heal();
      const healed = performance.now();
      // Bounds for a stuck recovery, not measures of it (the figures line prints how long it took):
      // with three loads beside the suite on two cores, 15 s was once too short (4 Dec).
      for (const p of cluster.servers) await expect.poll(() => healthOf(p.baseUrl), { timeout: 45_000 }).toMatchObject({ status: 200, store: 'up' });
      const healthyMs = performance.now() - healed;
      await expect.poll(() => dependenciesUp(p1.baseUrl), { timeout: 45_000 }).toEqual({ store: 1, redis: 1 });
      await expect.poll(() => typedDuring.every((line) => typingA.confirmed.has(line)), { timeout: 60_000, message: `${fault}: not saved after healing` }).toBe(true);
      expect(allRunning(), `${fault}: a process exited\n${lastWords(cluster.servers)}`).toBe(true);
      return { healthyMs: Math.round(healthyMs), savedMs: Math.round(performance.now() - healed) };
    };
    const afterCut = await outage('cut');
    const afterBlackhole = await outage('blackhole');
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
    for (const w of watched) expect(w.stats.unanswered).toBe(0);
    console.log(`[figures] postgres faults: ${JSON.stringify({
      rounds: ROUNDS, backendsTerminated: terminated, confirmed: confirmed.length, typed: typingA.typed.length + typingB.typed.length,
      lost: missingLines(confirmed, stored).length, recoverMs: recoverMs.map(Math.round), afterCut, afterBlackhole, slowestHealthzMs: Math.round(Math.max(...watched.map((w) => w.stats.slowestMs))),
    })}`);
  }, 180_000 + ROUNDS * 60_000);
});
