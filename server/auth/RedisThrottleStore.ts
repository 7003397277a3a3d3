import type { Logger } from '../log';
import { RedisLinks } from '../redisLinks';
import { closeRedis, splitRedisUrl } from '../redisOptions';
import type { ThrottleEntry, ThrottleStore } from './loginThrottle';

/**
 * Failure counts in Redis, shared by every server process: each key is a hash (failures, last)
 * counted with HINCRBY in one MULTI and forgotten by Redis itself when its TTL runs out.
 * The URL may carry the deployment's key prefix (`?prefix=clinic-a`), as for the fan-out. Like the
 * fan-out, it must reach Redis at start; during an outage its commands fail at once instead of
 * queueing, and the throttle lets logins through (see LoginThrottle). `links` opens and watches
 * the connection (by default links of its own).
 */
export async function createRedisThrottleStore(url: string, log: Logger, links = new RedisLinks(log)): Promise<ThrottleStore> {
  const split = splitRedisUrl(url);
  const prefix = `${split.prefix}:login-throttle:`;
  const redis = links.open(split.url, 'tandem-login-throttle', 'login throttle');
  await redis.connect();

  const read = (hash: Record<string, string>): ThrottleEntry | null =>
    hash.failures === undefined ? null : { failures: Number(hash.failures), lastFailureAt: Number(hash.last) };

  return {
    get: async (key) => read(await redis.hgetall(prefix + key)),
    fail: async (key, at, ttlMs) => {
      const k = prefix + key;
      const results = await redis.multi().hincrby(k, 'failures', 1).hset(k, 'last', at).pexpire(k, ttlMs).exec();
      const failures = results?.[0]?.[1];
      if (typeof failures !== 'number') throw new Error('Redis did not count the failed login');
      return { failures, lastFailureAt: at };
    },
    clear: async (key) => {
      await redis.del(prefix + key);
    },
    list: async () => {
      const keys: string[] = [];
      for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 200 }) as AsyncIterable<string[]>) keys.push(...batch);
      const entries = await Promise.all(keys.map(async (k) => [k.slice(prefix.length), read(await redis.hgetall(k))] as const));
      return entries.filter((e): e is [string, ThrottleEntry] => e[1] !== null);
    },
    // SET is refused as a count is (`-OOM`), and the key is outside the counts `list` scans.
    probe: async () => {
      await redis.set(`${split.prefix}:login-throttle-probe`, '1', 'PX', 1_000);
    },
    close: () => closeRedis(redis),
  };
}
