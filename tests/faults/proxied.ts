import { createClinic } from '../helpers/api';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import type { ServerProcess } from '../helpers/startTestServer';
import { startCluster } from '../scaleout/cluster';

/**
 * `count` server processes (PostgreSQL and Redis), the first reaching one of its services through
 * a fault proxy and the others directly, and a clinic set up on the first. `p2`: the second
 * process, when there is one (where the other therapist's page is open).
 */
export async function proxiedProcess(service: 'databaseUrl' | 'redisUrl', env: Record<string, string> = {}, count = 1) {
  let proxy!: FaultProxy;
  let direct!: string;
  const cluster = await startCluster(count, {
    env,
    via: async (urls, i) => {
      if (i > 0) return urls;
      direct = urls[service];
      proxy = await startFaultProxy(direct);
      return { ...urls, [service]: proxy.url };
    },
  });
  const [p1, p2] = cluster.servers as [ServerProcess, ServerProcess | undefined];
  // `direct`: the service's own address, past the proxy (a test's own look at what it holds).
  return { p1, p2, servers: cluster.servers, proxy, direct, clinic: await createClinic(p1.baseUrl), databaseUrl: cluster.databaseUrl };
}
