import { expect } from 'vitest';
import { ApiClient, type Person } from '../helpers/api';
import { healthOf, watchResponsiveness } from '../helpers/health';
import { isRunning, lastWords, type ServerProcess } from '../helpers/startTestServer';
import { proxiedProcess } from './proxied';

/**
 * Two server processes, the first reaching PostgreSQL through a fault proxy, the second directly,
 * each watched for a frozen event loop, and a clinic set up on the first: a person's requests go
 * to the first (their `api`), their page may be open on the second.
 */
export async function proxiedPair() {
  const { p1, p2, servers, proxy, clinic } = await proxiedProcess('databaseUrl', {}, 2);
  const watched = servers.map((p) => watchResponsiveness(p.baseUrl));
  return {
    p1,
    p2: p2 as ServerProcess,
    proxy,
    clinic,
    /** `person`'s login, asking the second process. */
    on2: (person: Person) => Object.assign(new ApiClient((p2 as ServerProcess).baseUrl), { cookie: person.api.cookie }),
    /** Both processes running, never frozen, the first one's store said up. */
    stillWell: async () => {
      await expect.poll(() => healthOf(p1.baseUrl), { timeout: 15_000 }).toMatchObject({ status: 200, store: 'up' });
      expect(servers.every(isRunning), lastWords(servers)).toBe(true);
      for (const w of watched) expect(w.stats.unanswered).toBe(0);
    },
  };
}
