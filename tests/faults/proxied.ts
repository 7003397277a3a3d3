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
  let direct!: string;
  const cluster = await startCluster(1, {
    env,
    via: async (urls) => {
      direct = urls[service];
      proxy = await startFaultProxy(direct);
      return { ...urls, [service]: proxy.url };
    },
  });
  const p1 = cluster.servers[0] as ServerProcess;
  // `direct`: the service's own address, past the proxy (a test's own look at what it holds).
  return { p1, proxy, direct, clinic: await createClinic(p1.baseUrl), databaseUrl: cluster.databaseUrl };
}
