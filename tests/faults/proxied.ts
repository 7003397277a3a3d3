import { createClinic } from '../helpers/api';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import type { ServerProcess } from '../helpers/startTestServer';
import { startCluster } from '../scaleout/cluster';

/**
 * One server process (PostgreSQL and Redis) reaching one of its services through a fault proxy,
 * and a clinic set up on it.
 */
export async function proxiedProcess(service: 'databaseUrl' | 'redisUrl', env: Record<string, string> = {}) {
  let proxy!: FaultProxy;
  const cluster = await startCluster(1, {
    env,
    via: async (urls) => {
      proxy = await startFaultProxy(urls[service]);
      return { ...urls, [service]: proxy.url };
    },
  });
  const p1 = cluster.servers[0] as ServerProcess;
  return { p1, proxy, clinic: await createClinic(p1.baseUrl), databaseUrl: cluster.databaseUrl };
}
