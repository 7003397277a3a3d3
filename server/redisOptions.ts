import type { Redis, RedisOptions } from 'ioredis';
import { backoffDelay, type Backoff } from '../shared/backoff';

/** How long `closeRedis` waits for Redis to acknowledge QUIT before dropping the connection. */
const QUIT_TIMEOUT_MS = 1_000;
/**
 * How long any Redis command may go unanswered before it fails. Without it a command on a link
 * that went silent waits for the operating system to give up (about 15 minutes): logins hung, a
 * note opened during the silence never loaded (its SUBSCRIBE waited), and a reconnect whose TCP
 * handshake passed but whose ready check went unanswered never came back, even after the link
 * did (ioredis's connectTimeout ends at the handshake; operator fault test, 2 Dec).
 */
const COMMAND_TIMEOUT_MS = 2_000;
/** ioredis's waits between reconnects. */
const RECONNECT: Backoff = { firstMs: 100, maxMs: 2_000 };

/**
 * Splits a Redis URL into the URL ioredis connects to and the deployment's key prefix, read from
 * its `prefix` query parameter (`redis://host:6379?prefix=clinic-a`) so several deployments (or
 * test runs) can share one Redis. @default prefix "tandem"
 */
export function splitRedisUrl(url: string): { url: string; prefix: string } {
  const parsed = new URL(url);
  const prefix = parsed.searchParams.get('prefix') ?? 'tandem';
  parsed.searchParams.delete('prefix');
  return { url: parsed.toString(), prefix };
}

/**
 * What every connection of Tandem's to Redis shares: connected explicitly (so a wrong URL fails
 * the start), and nothing queued while Redis is away: commands fail at once, or after
 * COMMAND_TIMEOUT_MS on a silent link, and their callers fall back (publishes dropped and caught
 * up later, compaction skipped, logins let through).
 */
export function redisOptions(connectionName: string): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 5_000,
    commandTimeout: COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => backoffDelay(attempt - 1, RECONNECT),
    connectionName,
  };
}

/** Says goodbye to Redis, but never waits on a link that does not answer (shutdown must end). */
export async function closeRedis(conn: Redis): Promise<void> {
  if (conn.status === 'ready') {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS).unref());
    await Promise.race([conn.quit().catch(() => {}), timeout]);
  }
  conn.disconnect();
}
