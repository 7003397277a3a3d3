import { Redis as RedisClient } from 'ioredis';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createSession } from '../helpers/api';
import { connectClient } from '../helpers/connectClient';
import { healthOf } from '../helpers/health';
import { deferCleanup, describeWith, Postgres, Redis } from '../helpers/services';
import { isRunning, lastWords } from '../helpers/startTestServer';
import { splitRedisUrl } from '../../server/redisOptions';
import { missingLines, storedNoteText, typeSteadily } from '../scaleout/cluster';
import { proxiedProcess } from './proxied';
import { linesOf } from './redisTyping';

/** What Redis answers writes with when full (maxmemory, noeviction) and when a replica after a failover. */
const REFUSALS = {
  full: "-OOM command not allowed when used memory > 'maxmemory'.\r\n",
  'read-only replica': "-READONLY You can't write against a read only replica.\r\n",
};

/**
 * Replies to writes turned into `refusal`, PING still passing. Redis refuses such a SET before it
 * looks at the key; behind the proxy Redis did take the first SET, so its later "held" answers
 * (null) are refused too.
 */
const refuseWrites = (refusal: string) => (reply: Buffer) => Buffer.from(reply.toString('latin1').replace(/(:\d+|\+OK|\$-1)\r\n/g, refusal), 'latin1');

describeWith([Postgres, Redis], 'A Redis that refuses the compaction lock while it answers PING', () => {
  // Operator fault test, 6 Dec: a refused lock was taken for a compaction done (the note's count
  // of stored entries reset) and said at debug level only, once per note per threshold; /healthz
  // 200. With Redis full for good, no note was ever compacted again and nobody was told.
  it.each(Object.entries(REFUSALS))('%s: says so once in the log and in /healthz, keeps every line, and compacts once Redis takes the lock', async (_kind, refusal) => {
    const { p1, proxy, direct, clinic, databaseUrl } = await proxiedProcess('redisUrl', { TANDEM_COMPACT_AFTER_UPDATES: '20' });
    const db = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    deferCleanup(() => db.end());
    const sessionId = await createSession(clinic);
    const snapshots = async () => Number((await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM doc_snapshots WHERE doc_id = $1', [sessionId])).rows[0]!.n);
    const a = connectClient(p1.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    expect(await healthOf(p1.baseUrl)).toMatchObject({ status: 200, redis: 'up' });

    proxy.rewriteReplies(/tandem-lock-/, refuseWrites(refusal));
    const typing = typeSteadily(a, 'a', 20);
    // Past the threshold several times over, each batch stored.
    await expect.poll(() => typing.confirmed.size, { timeout: 60_000 }).toBeGreaterThan(100);
    await expect.poll(() => linesOf(p1, 'compaction lock unavailable;').length, { timeout: 30_000, message: lastWords([p1]) }).toBe(1);
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: 30_000, message: lastWords([p1]) }).toMatchObject({ status: 503, store: 'up', redis: 'failing' });
    expect(await snapshots()).toBe(0);
    expect(linesOf(p1, 'compaction lock unavailable;')).toHaveLength(1);

    proxy.heal();
    await expect.poll(() => healthOf(p1.baseUrl), { timeout: 30_000, message: lastWords([p1]) }).toMatchObject({ status: 200, redis: 'up' });
    expect(linesOf(p1, 'compaction lock taken again')).toHaveLength(1);
    // Behind the proxy Redis did take the first SET, which a full or read-only Redis would not have:
    // that key would live out its lease (60 s) before the note could be compacted.
    const { url, prefix } = splitRedisUrl(direct);
    const redis = new RedisClient(url, { lazyConnect: true });
    deferCleanup(() => redis.quit());
    await redis.connect();
    await redis.del(`${prefix}:lock:compact:${sessionId}`);
    await expect.poll(snapshots, { timeout: 60_000, message: lastWords([p1]) }).toBeGreaterThan(0);
    typing.stop();
    await expect.poll(() => a.isSaved(), { timeout: 30_000 }).toBe(true);
    expect(missingLines(typing.typed, await storedNoteText(databaseUrl, sessionId))).toEqual([]);
    expect(isRunning(p1)).toBe(true);
  }, 180_000);
});
