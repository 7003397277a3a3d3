import { randomBytes } from 'node:crypto';
import { Redis as RedisClient } from 'ioredis';
import { expect, it } from 'vitest';
import { createRedisFanout, type RedisFanout } from '../../server/fanout/RedisFanout';
import type { FanoutMessage } from '../../server/fanout/Fanout';
import { createLogger } from '../../server/log';
import { deferCleanup, describeWith, Redis, serviceUrl, uniqueRedisPrefix } from '../helpers/services';

describeWith([Redis], 'Redis fan-out between processes', async () => {
  const url = new URL(serviceUrl(Redis));
  url.searchParams.set('prefix', uniqueRedisPrefix());
  const open = async (): Promise<RedisFanout> => {
    const f = await createRedisFanout(url.toString(), createLogger('silent'));
    deferCleanup(() => f.close());
    return f;
  };
  const [one, two] = [await open(), await open()];

  it('carries binary updates and presence to the other process, never back to the sender', async () => {
    const atOne: FanoutMessage[] = [];
    const atTwo: FanoutMessage[] = [];
    await one.subscribe('s-1', (m) => atOne.push(m));
    await two.subscribe('s-1', (m) => atTwo.push(m));
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    one.publish('s-1', { kind: 'update', data: bytes });
    one.publish('s-1', { kind: 'awareness', data: new Uint8Array([1, 2, 3]) });
    await expect.poll(() => atTwo.length).toBe(2);
    expect(atTwo[0]!.kind).toBe('update');
    expect(Array.from(atTwo[0]!.data)).toEqual(Array.from(bytes));
    expect(atTwo[1]).toMatchObject({ kind: 'awareness' });
    // Sent after the first two, so once it is seen at one, the echoes would have been too.
    two.publish('s-1', { kind: 'update', data: new Uint8Array([9]) });
    await expect.poll(() => atOne.length).toBe(1);
    expect(Array.from(atOne[0]!.data)).toEqual([9]);
  });

  it('is subscribed once subscribe resolves, and stops after unsubscribing', async () => {
    const got: FanoutMessage[] = [];
    const unsubscribe = await two.subscribe('s-2', (m) => got.push(m));
    one.publish('s-2', { kind: 'update', data: new Uint8Array([1]) });
    await expect.poll(() => got.length).toBe(1);
    await unsubscribe();
    one.publish('s-2', { kind: 'update', data: new Uint8Array([2]) });
    const marker: FanoutMessage[] = [];
    await two.subscribe('s-3', (m) => marker.push(m));
    one.publish('s-3', { kind: 'update', data: new Uint8Array([3]) });
    await expect.poll(() => marker.length).toBe(1);
    expect(got).toHaveLength(1);
  });

  it('sends control messages to the other processes only', async () => {
    const atOne: string[] = [];
    const atTwo: string[] = [];
    one.onControl((m) => atOne.push(m.kind));
    two.onControl((m) => atTwo.push(m.kind));
    one.publishControl({ kind: 'recheck-access' });
    await expect.poll(() => atTwo).toEqual(['recheck-access']);
    two.publishControl({ kind: 'recheck-access' });
    await expect.poll(() => atOne).toEqual(['recheck-access']);
    expect(atTwo).toEqual(['recheck-access']);
    expect(await one.healthy()).toBe(true);
  });

  it('waits between recovery attempts that fail at once, and recovers once Redis lets it subscribe again', async () => {
    // A Redis user of this test's own, whose right to subscribe is taken away and given back.
    const user = `tandem-test-${randomBytes(4).toString('hex')}`;
    const admin = new RedisClient(serviceUrl(Redis));
    deferCleanup(async () => {
      await admin.acl('DELUSER', user);
      admin.disconnect();
    });
    await admin.acl('SETUSER', user, 'on', '>secret', '~*', '&*', '+@all');
    const asUser = new URL(url);
    asUser.username = user;
    asUser.password = 'secret';
    const lines: { t: string; msg: string }[] = [];
    const log = createLogger('debug', (line) => lines.push(JSON.parse(line) as { t: string; msg: string }));
    const fanout = await createRedisFanout(asUser.toString(), log);
    deferCleanup(() => fanout.close());
    const got: FanoutMessage[] = [];
    await fanout.subscribe('s-5', (m) => got.push(m));

    // Redis 7 drops a subscriber whose channels were revoked; it reconnects and is 'ready', and
    // every SUBSCRIBE is refused (NOPERM) at once: the shape of a subscriber whose socket ended.
    await admin.acl('SETUSER', user, 'resetchannels');
    const failures = () => lines.filter((l) => l.msg.startsWith('re-subscribing after a Redis outage failed'));
    await expect.poll(() => failures().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    const at = failures().map((l) => Date.parse(l.t));
    // Backoff from 100 ms (jittered to at least half), so four attempts span at least 50 + 100 +
    // 200 ms; a fresh connection may add one attempt at once, which still leaves 150 ms. A loop
    // that retried without waiting would make all four within a few milliseconds.
    expect(at[3]! - at[0]!).toBeGreaterThanOrEqual(150);
    expect(await fanout.healthy()).toBe(false);

    await admin.acl('SETUSER', user, 'allchannels');
    await expect.poll(() => lines.some((l) => l.msg.startsWith('Redis connection back')), { timeout: 15_000 }).toBe(true);
    expect(await fanout.healthy()).toBe(true);
    one.publish('s-5', { kind: 'update', data: new Uint8Array([5]) });
    await expect.poll(() => got.map((m) => Array.from(m.data))).toContainEqual([5]);
  });
});
