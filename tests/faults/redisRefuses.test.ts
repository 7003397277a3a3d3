import { expect, it } from 'vitest';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { linesOf, sharing, twoTypingTherapists } from './redisTyping';

/** Every integer reply (PUBLISH's: how many received it) becomes an error; PONG and the rest pass. */
const refusePublishes = (reply: Buffer) =>
  Buffer.from(reply.toString('latin1').replace(/:\d+\r\n/g, '-NOPERM this user has no permissions to access one of the channels used as arguments\r\n'), 'latin1');

describeWith([Postgres, Redis], 'Redis refusing publishes while its connections answer PING', () => {
  it('says so once, keeps /healthz down while it lasts, and recovers once publishes are taken', async () => {
    const t = await twoTypingTherapists();
    t.proxy.rewriteReplies(/tandem-pub-/, refusePublishes);
    await t.reported(/Redis connection lost \(publisher\)/);
    // Still refused a while later (several recovery attempts): still said once, still down.
    await expect.poll(() => linesOf(t.p1, 're-subscribing after a Redis outage failed').length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    expect(sharing(t.a)).toEqual([true]);
    expect(linesOf(t.p1, 'Redis connection lost (')).toHaveLength(1);
    t.proxy.heal();
    await t.recovered();
    expect(linesOf(t.p1, 'Redis connection lost (')).toHaveLength(1);
  }, 300_000);
});
