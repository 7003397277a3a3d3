/**
 * W6, scale-out (tandem): the typing workload on PostgreSQL + Redis, first on one server process,
 * then on two sharing the database and the fan-out, with each session's co-therapists on
 * different processes and the reader alternating between them. Deliveries are timed separately
 * within one process and across the Redis hop; the services' own CPU is measured beside the
 * servers'. Each configuration gets a fresh PostgreSQL schema and Redis prefix, removed after.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { z } from 'zod';
import type { Options } from '../lib/options';
import { connectedLocalPorts, cpuMsOf, pidsNamed } from '../lib/procfs';
import type { Deployment } from '../lib/systems';
import { runTypingStep, type ServicesMeter, type TypingParams, type TypingStep } from './typing';

export interface ScaleOutResult {
  /** Why nothing ran (no PostgreSQL/Redis configured), else null. */
  skipped: string | null;
  steps: TypingStep[];
  /** Where the services ran (passwords removed). */
  databaseUrl: string | null;
  redisUrl: string | null;
}

const urls = z.object({ database: z.string().url(), redis: z.string().url() });

/**
 * The services come from `BENCH_DATABASE_URL` / `BENCH_REDIS_URL`, else the test suite's
 * `TANDEM_TEST_DATABASE_URL` / `TANDEM_TEST_REDIS_URL`; without them the workload is skipped.
 */
export function scaleOutServices(env: NodeJS.ProcessEnv = process.env): { database: string; redis: string } | null {
  const parsed = urls.safeParse({ database: env.BENCH_DATABASE_URL ?? env.TANDEM_TEST_DATABASE_URL, redis: env.BENCH_REDIS_URL ?? env.TANDEM_TEST_REDIS_URL });
  return parsed.success ? parsed.data : null;
}

export async function runScaleOut(opts: Options, progress: (msg: string) => void): Promise<ScaleOutResult> {
  const services = scaleOutServices();
  if (!services) return { skipped: 'set BENCH_DATABASE_URL and BENCH_REDIS_URL (or TANDEM_TEST_DATABASE_URL and TANDEM_TEST_REDIS_URL)', steps: [], databaseUrl: null, redisUrl: null };
  const t = opts.profile.typing;
  const steps: TypingStep[] = [];
  for (const sessions of opts.profile.scaleout.sessions) {
    for (const processes of [1, 2]) {
      progress(`scaleout tandem ×${processes} on PostgreSQL + Redis, R=${sessions}`);
      const params: TypingParams = { sessions, warmupS: t.warmupS, measureS: t.measureS, drainS: t.drainS };
      const step = await withFreshBackend(services, async (databaseUrl, redisUrl) =>
        runTypingStep('tandem', params, opts, { backend: { databaseUrl, redisUrl, processes }, meter: new ServicesCpuMeter(services.database) }),
      );
      progress(`  p50 ${step.latencyMs.p50} ms, p99 ${step.latencyMs.p99} ms, cross-process p50 ${step.crossProcessMs?.p50 ?? '–'} ms, server CPU ${step.server.cpuPct}%`);
      steps.push(step);
    }
  }
  return { skipped: null, steps, databaseUrl: redact(services.database), redisUrl: redact(services.redis) };
}

/** Runs `body` with a new schema and Redis prefix, and removes both afterwards. */
async function withFreshBackend<T>(services: { database: string; redis: string }, body: (databaseUrl: string, redisUrl: string) => Promise<T>): Promise<T> {
  const tag = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await sql(services.database, `CREATE SCHEMA ${tag}`);
  const databaseUrl = new URL(services.database);
  databaseUrl.searchParams.set('options', `-c search_path=${tag}`);
  const redisUrl = new URL(services.redis);
  redisUrl.searchParams.set('prefix', tag);
  try {
    return await body(databaseUrl.toString(), redisUrl.toString());
  } finally {
    await sql(services.database, `DROP SCHEMA IF EXISTS ${tag} CASCADE`);
    await deleteRedisKeys(services.redis, `${tag}:*`);
  }
}

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * PostgreSQL: the backends serving our servers' connections (found from the servers' sockets and
 * pg_stat_activity), so other users of the database do not count. Redis: the whole redis-server
 * process (it cannot be split by client; other users of this Redis count too).
 */
class ServicesCpuMeter implements ServicesMeter {
  private pgPids: number[] = [];
  private redisPids: number[] = [];
  private pg0 = 0;
  private redis0 = 0;

  constructor(private readonly databaseUrl: string) {}

  async start(dep: Deployment): Promise<void> {
    const pgPort = Number(new URL(this.databaseUrl).port || 5432);
    const ports = dep.servers.flatMap((s) => connectedLocalPorts(s.pid, pgPort));
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE client_port = ANY($1::int[])', [ports]);
      this.pgPids = rows.map((r) => r.pid);
    } finally {
      await client.end();
    }
    this.redisPids = pidsNamed('redis-server');
    this.pg0 = cpuMsOf(this.pgPids);
    this.redis0 = cpuMsOf(this.redisPids);
  }

  stop(): Record<string, number> {
    return { postgres: cpuMsOf(this.pgPids) - this.pg0, redis: cpuMsOf(this.redisPids) - this.redis0 };
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
