import express from 'express';
import { Gauge, type Registry } from 'prom-client';
import type { Fanout } from '../fanout/Fanout';
import type { ConnectionLoad } from '../http/connectionLimits';
import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { WriteHealth } from './writeHealth';

/** What the health check looks at and what /metrics serves. */
export interface OpsDeps {
  store: Pick<Store, 'ping'>;
  /** Whether storage takes writes, which a ping does not tell. */
  writes: Pick<WriteHealth, 'check'>;
  /** Null when the server runs alone (no Redis): nothing to check. */
  fanout: Pick<Fanout, 'healthy'> | null;
  /**
   * Whether Redis takes the writes that count failed logins and take compaction locks: a full
   * Redis (`-OOM`) answers PING and refuses them, and logins then go unthrottled and notes
   * uncompacted. Checked only when there is a fan-out.
   */
  redisWrites?: () => Promise<boolean>;
  metrics: Registry;
  log: Logger;
  /** TCP connections against their bound (connectionLimits.ts). */
  connections: { load(): ConnectionLoad };
}

type Check = 'up' | 'down' | 'off';
/** `failing`: Redis answers, but refuses the login throttle's or the compaction lock's writes. */
type RedisCheck = Check | 'failing';
/** `failing`: the store answers, but refuses writes. */
type StoreCheck = 'up' | 'down' | 'failing';

/** Each dependency is checked with a bound, so a hung database cannot hang the health check. */
const CHECK_TIMEOUT_MS = 2_000;

async function check(run: () => Promise<boolean>): Promise<Check> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CHECK_TIMEOUT_MS).unref());
  return (await Promise.race([run().catch(() => false), timeout])) ? 'up' : 'down';
}

/** The ping and the write check side by side, so the store's answer also comes within CHECK_TIMEOUT_MS (one after the other, a crawling link took 3.2 s: attack, 4 Dec). */
async function checkStore(deps: OpsDeps): Promise<StoreCheck> {
  const [ping, writes] = await Promise.all([check(async () => (await deps.store.ping(), true)), check(() => deps.writes.check())]);
  if (ping === 'down') return 'down';
  return writes === 'up' ? 'up' : 'failing';
}

async function checkRedis(deps: OpsDeps): Promise<RedisCheck> {
  if (!deps.fanout) return 'off';
  const counts = deps.redisWrites ?? (() => Promise.resolve(true));
  const [up, writes] = await Promise.all([check(() => deps.fanout!.healthy()), check(counts)]);
  if (up === 'down') return 'down';
  return writes === 'up' ? 'up' : 'failing';
}

/**
 * How long a round of checks, once answered, also answers every other /healthz and scrape, ms; a
 * round still running answers every request that comes meanwhile. /healthz asks no login, and each
 * request made its own attempt to reach a PostgreSQL that was down (attack, 4 Dec: 100 requests,
 * 63 connection attempts in 5 s); now a flood of them reaches each dependency at most once per round.
 */
const CHECK_REUSE_MS = 1_000;

/**
 * For load balancers and monitoring: `GET /healthz` answers 200 when the store takes writes and
 * (if configured) Redis answers, 503 naming what is down or failing otherwise, and says how many
 * TCP connections are open against their bound (`near_cap` from 80 % of it); `GET /metrics` is
 * the Prometheus text format, with the same checks as `tandem_dependency_up` (taken at scrape
 * time, or at most CHECK_REUSE_MS before it).
 */
export function opsRoutes(deps: OpsDeps): express.Router {
  let round: { answered: number | null; result: Promise<{ store: StoreCheck; redis: RedisCheck }> } | null = null;
  const checkAll = (): Promise<{ store: StoreCheck; redis: RedisCheck }> => {
    if (round && (round.answered === null || Date.now() - round.answered < CHECK_REUSE_MS)) return round.result;
    const current: NonNullable<typeof round> = {
      answered: null,
      result: Promise.all([checkStore(deps), checkRedis(deps)]).then(([store, redis]) => {
        current.answered = Date.now();
        return { store, redis };
      }),
    };
    round = current;
    return current.result;
  };
  new Gauge({
    name: 'tandem_dependency_up', help: 'Whether the store and Redis answered (1) or not within 2 s (0), checked at scrape time or at most 1 s before; as /healthz.',
    labelNames: ['dependency'] as const, registers: [deps.metrics],
    async collect() {
      const { store, redis } = await checkAll();
      this.set({ dependency: 'store' }, store === 'up' ? 1 : 0);
      if (redis !== 'off') this.set({ dependency: 'redis' }, redis === 'up' ? 1 : 0);
    },
  });
  const r = express.Router();
  r.get('/healthz', (_req, res, next) => {
    void (async () => {
      const { store, redis } = await checkAll();
      const ok = store === 'up' && (redis === 'up' || redis === 'off');
      // Near the bound still answers 200: a supervisor that restarted the process for it would end
      // every clinician's connection, which is what the attacker wants. At the bound, a new
      // connection (the load balancer's check among them) is refused, which says it too.
      res.status(ok ? 200 : 503).set('Cache-Control', 'no-store').json({ ok, store, redis, connections: deps.connections.load() });
    })().catch(next);
  });
  r.get('/metrics', (_req, res, next) => {
    void (async () => {
      res.set('Content-Type', deps.metrics.contentType).set('Cache-Control', 'no-store').send(await deps.metrics.metrics());
    })().catch((err: unknown) => {
      deps.log.error('metrics could not be collected', { err });
      next(err);
    });
  });
  return r;
}
