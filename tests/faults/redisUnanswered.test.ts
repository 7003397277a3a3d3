import { expect, it } from 'vitest';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { linesOf, twoTypingTherapists } from './redisTyping';

describeWith([Postgres, Redis], 'A Redis connection that stops answering while two therapists type on two processes', () => {
  // Operator fault test, 3 Dec: a proxy held the subscriber's bytes for 24 s (the publisher
  // worked); /healthz said 503 within 1 s, but nothing was logged and no page was told.
  it('reports a silent subscriber as lost, drops and reconnects it, and recovers once it answers', async () => {
    const t = await twoTypingTherapists();
    const subscribers = new Set<number>();
    t.proxy.tap((conn) => void (conn.sent.includes('tandem-sub-') && subscribers.add(conn.id)));
    t.proxy.silence(/tandem-sub-/);
    await t.reported(/Redis connection lost \(subscriber\)/);
    // Dropped and opened again while still silent, with no connection left behind.
    await expect.poll(() => subscribers.size, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    t.proxy.heal();
    const recoveredMs = await t.recovered();
    await expect.poll(() => t.proxy.connections().filter((c) => c.sent.includes('tandem-sub-')).length).toBe(1);
    console.log(`[figures] redis subscriber silent: ${JSON.stringify({ subscriberConnections: subscribers.size, recoveredMs })}`);
    expect(linesOf(t.p1, 'Redis connection lost (')).toHaveLength(1);
    expect(linesOf(t.p1, 'Redis connection back')).not.toHaveLength(0);
  }, 300_000);

  // Operator fault test, 3 Dec: replies lost on the way while the connection stayed open left
  // every later command timing out after the link healed, until the process was restarted.
  it('recovers without a restart from a link that lost replies while its connections stayed open', async () => {
    const t = await twoTypingTherapists();
    const publishers = new Set<number>();
    t.proxy.tap((conn) => void (conn.sent.includes('tandem-pub-') && publishers.add(conn.id)));
    t.proxy.lose(/tandem-/);
    await t.reported(/Redis connection lost \((publisher|subscriber)\)/);
    // Dropped and opened again while the link still loses replies.
    await expect.poll(() => publishers.size, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    t.proxy.heal();
    const recoveredMs = await t.recovered();
    console.log(`[figures] redis replies lost: ${JSON.stringify({ publisherConnections: publishers.size, recoveredMs })}`);
    expect(linesOf(t.p1, 'Redis connection lost (publisher)').length + linesOf(t.p1, 'Redis connection lost (subscriber)').length).toBe(1);
    // Every connection of process 1 answers again (the compaction lock's and the login throttle's too).
    await expect.poll(() => t.proxy.connections().map((c) => /tandem-[a-z]+-/.exec(c.sent)?.[0]).sort()).toEqual(['tandem-lock-', 'tandem-login-', 'tandem-pub-', 'tandem-sub-']);
  }, 300_000);
});
