import { expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster } from '../scaleout/cluster';

/** Starts one process whose link to `service` falls silent once the process has sent it `chunks` chunks; resolves with how the start ended. */
async function startFallingSilent(service: 'databaseUrl' | 'redisUrl', chunks: number): Promise<{ output: string; proxy: FaultProxy }> {
  let proxy!: FaultProxy;
  const output = await startCluster(1, {
    via: async (urls) => {
      proxy = await startFaultProxy(urls[service]);
      let sent = 0;
      proxy.tap((_conn, _chunk, fromClient) => {
        if (fromClient && ++sent === chunks) proxy.blackhole();
      });
      return { ...urls, [service]: proxy.url };
    },
  }).then(() => 'listening', (err: Error) => err.message);
  return { output, proxy };
}

// Attack, 6 Dec: each dependency fell silent at several moments of a process's start. Each start
// ended (exit 1) within 8–17 s, none hung; but a PostgreSQL link silent during the migration was
// said as 'Tandem could not start: Query read timeout', and one silent as the codebook was read as
// 'tags.ensure failed: Query read timeout': neither named the database.
describeWith([Postgres, Redis], 'A dependency that falls silent while the process starts', () => {
  it('PostgreSQL, during the migration: the process exits naming PostgreSQL and its address', async () => {
    const { output, proxy } = await startFallingSilent('databaseUrl', 12);
    expect(output).toContain('server exited (1) before listening');
    expect(output).toContain(`Tandem could not start: PostgreSQL at ${new URL(proxy.url).host} could not be migrated: Query read timeout`);
  }, 120_000);

  it('PostgreSQL, after the migration: the process exits saying the database failed, and what it was doing', async () => {
    const { output } = await startFallingSilent('databaseUrl', 40);
    expect(output).toContain('server exited (1) before listening');
    expect(output).toMatch(/Tandem could not start: the database failed as the server started: \w+\.\w+ failed: Query read timeout/);
  }, 120_000);

  it('Redis: the process exits naming Redis and its address', async () => {
    const { output, proxy } = await startFallingSilent('redisUrl', 3);
    expect(output).toContain(`Tandem could not start: Redis at ${new URL(proxy.url).host} is unreachable`);
  }, 120_000);
});
