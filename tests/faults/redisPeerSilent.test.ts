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
      t.proxy.heal();
      await t.recovered();
      await expect.poll(() => sharing(t.b), { timeout: 30_000 }).toEqual([true, false]);
      expect(linesOf(t.p2, 'another process is heard on Redis again')).toHaveLength(1);
      expect(await metricValue(t.p2.baseUrl, 'tandem_peers_silent')).toBe(0);
    }, 180_000);
  }

  it('does not take a process that stopped for a silent one', async () => {
    const t = await twoTypingTherapists();
    await t.p1.kill('SIGTERM');
    await expect.poll(() => linesOf(t.p2, 'another process stopped'), { timeout: 30_000 }).toHaveLength(1);
    // Forgotten, not waited for: B's page, on process 2, is told nothing now or once 5 s have passed.
    expect(sharing(t.b)).toEqual([]);
    expect(await metricValue(t.p2.baseUrl, 'tandem_peers_silent')).toBe(0);
  }, 180_000);
});
