import { randomBytes } from 'node:crypto';
import type { Logger } from '../log';
import { OutageLog } from '../ops/outageLog';
import { RedisLinks } from '../redisLinks';
import { closeRedis, splitRedisUrl } from '../redisOptions';
import { LockUnavailableError, type CompactionLock } from './CompactionLock';

/** Deletes the lock only if it is still ours (a lease that expired may be someone else's now). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export interface RedisCompactionLockOptions {
  /** How long a lock lives without renewal, in ms (a crashed holder frees it by then). @default 60000 */
  leaseMs?: number;
  /** Where the process's Redis connections are opened and watched. @default links of its own */
  links?: RedisLinks;
}

/**
 * The compaction lock shared by every process: a key per session (`<prefix>:lock:compact:<id>`)
 * set only if absent, with a lease renewed while the holder works. The URL may carry the
 * deployment's key prefix (`?prefix=clinic-a`). Fails if Redis cannot be reached at start.
 */
export async function createRedisCompactionLock(url: string, log: Logger, options: RedisCompactionLockOptions = {}): Promise<CompactionLock> {
  const { url: target, prefix } = splitRedisUrl(url);
  const owner = randomBytes(8).toString('hex');
  const redis = (options.links ?? new RedisLinks(log)).open(target, `tandem-lock-${owner}`, 'compaction lock');
  await redis.connect();
  const lease = options.leaseMs ?? 60_000;
  // One error line when Redis starts refusing the lock, one info line when it takes it again.
  const outage = new OutageLog(log, 'compaction lock taken again; compaction resumes');
  /** SET NX with a lease: 'OK' when taken, null when held elsewhere; LockUnavailableError otherwise. */
  const take = async (key: string, token: string, ms: number): Promise<boolean> => {
    let reply: string | null;
    try {
      reply = await redis.set(key, token, 'PX', ms, 'NX');
    } catch (err) {
      outage.failed('compaction lock unavailable; notes are not compacted until Redis takes it again', err);
      throw new LockUnavailableError(err);
    }
    outage.worked();
    return reply === 'OK';
  };
  return {
    withLock: async (sessionId, run) => {
      const key = `${prefix}:lock:compact:${sessionId}`;
      const token = `${owner}:${randomBytes(8).toString('hex')}`;
      if (!(await take(key, token, lease))) return;
      // Compaction of a long note can outlast a short lease: keep it while we work.
      const renew = setInterval(() => void redis.eval(RENEW, 1, key, token, lease).catch(() => {}), Math.max(50, lease / 3));
      renew.unref();
      try {
        await run();
      } finally {
        clearInterval(renew);
        await redis.eval(RELEASE, 1, key, token).catch(() => {});
      }
    },
    takes: async () => {
      if (!outage.failing) return true;
      // A key of no session, with a short lease: taking it is what a compaction's lock would do.
      return take(`${prefix}:lock:compact:probe:${owner}`, owner, 1_000).then(() => true, () => false);
    },
    close: () => closeRedis(redis),
  };
}

