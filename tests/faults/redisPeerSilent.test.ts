import pg from 'pg';
import { expect, it } from 'vitest';
import { healthOf } from '../helpers/health';
import { metricValue } from '../helpers/metrics';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { lastWords } from '../helpers/startTestServer';
import { linesOf, sharing, twoTypingTherapists } from './redisTyping';

// Leftover of the operator fault test, 6 Dec: when process 1 lost Redis its pages were told
// (their edits saved, not relayed live), but pages on process 2 were told nothing, though edits
// from process 1's people no longer reached them live.
describeWith([Postgres, Redis], 'One process loses Redis: the pages on the other process are told too', () => {
  for (const fault of ['cut', 'blackhole'] as const) {
    it(`tells pages on both processes while process 1's Redis is ${fault === 'cut' ? 'refused' : 'silent'}, and both converge once it is back`, async () => {
      const t = await twoTypingTherapists();
      t.proxy[fault]();
      await t.reported(/Redis connection lost/);
      // Process 2's own Redis is fine: its /healthz says so, its log and metrics name the silent process.
      await expect.poll(() => sharing(t.b), { timeout: 30_000, message: `B's page was not told\n${lastWords([t.p1, t.p2])}` }).toEqual([true]);
      expect(linesOf(t.p2, 'another process is not heard on Redis')).toHaveLength(1);
      expect(await metricValue(t.p2.baseUrl, 'tandem_peers_silent')).toBe(1);
      expect(await healthOf(t.p2.baseUrl)).toMatchObject({ status: 200, redis: 'up' });
      // Alive, only its Redis link lost: past the time a killed process's lease lapses, it still renews it, and B is still told.
      await expect.poll(() => linesOf(t.p2, 'has not let its liveness lease lapse'), { timeout: 60_000, message: lastWords([t.p1, t.p2]) }).toHaveLength(1);
      expect(sharing(t.b)).toEqual([true]);
      expect(linesOf(t.p2, 'lease lapse: taken for gone')).toEqual([]);
      t.proxy.heal();
      await t.recovered();
      await expect.poll(() => sharing(t.b), { timeout: 30_000 }).toEqual([true, false]);
      expect(linesOf(t.p2, 'another process is heard on Redis again')).toHaveLength(1);
      expect(await metricValue(t.p2.baseUrl, 'tandem_peers_silent')).toBe(0);
    }, 180_000);
  }

  // Operator fault test, 6 Dec: process 1 killed with SIGKILL left B's page told live sharing was
  // interrupted for 10 minutes, though nobody was left on process 1 to share with.
  it('tells B live sharing is back once a process killed without a goodbye let its lease lapse', async () => {
    const t = await twoTypingTherapists();
    await t.p1.kill('SIGKILL');
    const killedAt = performance.now();
    await expect.poll(() => sharing(t.b), { timeout: 60_000, message: `B's page was not told "back"\n${lastWords([t.p1, t.p2])}` }).toEqual([true, false]);
    console.info(`B told "back" ${Math.round(performance.now() - killedAt)} ms after process 1 was killed`);
    expect(linesOf(t.p2, 'lease lapse: taken for gone')).toHaveLength(1);
    expect(linesOf(t.p2, 'has not let its liveness lease lapse')).toEqual([]);
    expect(await metricValue(t.p2.baseUrl, 'tandem_peers_silent')).toBe(0);
    expect(await healthOf(t.p2.baseUrl)).toMatchObject({ status: 200, redis: 'up' });
  }, 180_000);

  it('does not take a process that stopped for a silent one', async () => {
    const t = await twoTypingTherapists();
    await t.p1.kill('SIGTERM');
    await expect.poll(() => linesOf(t.p2, 'another process stopped'), { timeout: 30_000 }).toHaveLength(1);
    // Forgotten, not waited for: B's page, on process 2, is told nothing now or once 5 s have passed.
    expect(sharing(t.b)).toEqual([]);
    expect(await metricValue(t.p2.baseUrl, 'tandem_peers_silent')).toBe(0);
  }, 180_000);
});

describeWith([Postgres, Redis], 'A process killed while the other cannot read the database', () => {
  it('keeps B told live sharing is interrupted while the leases cannot be read, and tells B "back" once they can', async () => {
    const t = await twoTypingTherapists({ databaseProxies: true });
    t.databaseProxies[1]!.cut();
    await t.p1.kill('SIGKILL');
    await expect.poll(() => sharing(t.b), { timeout: 60_000, message: lastWords([t.p1, t.p2]) }).toEqual([true]);
    // Past the time its lease lapsed (process 2's own too, not renewed): process 2 cannot read it,
    // so it cannot tell a killed process from one cut off from Redis; B stays told.
    await expect.poll(() => healthOf(t.p2.baseUrl), { timeout: 60_000 }).toMatchObject({ status: 503, store: 'down' });
    await expect.poll(() => lapsedLeases(t.databaseUrl), { timeout: 60_000 }).toBe(2);
    expect(sharing(t.b)).toEqual([true]);
    t.databaseProxies[1]!.heal();
    await expect.poll(() => sharing(t.b), { timeout: 60_000, message: lastWords([t.p1, t.p2]) }).toEqual([true, false]);
    expect(linesOf(t.p2, 'lease lapse: taken for gone')).toHaveLength(1);
  }, 180_000);
});

/** How many processes' liveness leases have lapsed, by the database's clock (read past every proxy). */
async function lapsedLeases(databaseUrl: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM process_leases WHERE expires_at <= (extract(epoch from clock_timestamp()) * 1000)::int8');
    return rows[0]!.n;
  } finally {
    await c.end();
  }
}
