import { expect, it } from 'vitest';
import { createClinic, createSession, expectStatus } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { healthOf } from '../helpers/health';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { startCluster } from '../scaleout/cluster';

/**
 * A process told to stop while PostgreSQL is away: its writers retry without end, and it did not
 * stop (re-check, 4 Dec: over 15 s, until killed). It waits TANDEM_STOP_GRACE_MS, says so, and exits.
 */
describeWith([Postgres, Redis], 'stopping while the database is away', async () => {
  let store: FaultProxy | undefined;
  const {
    servers: [server],
  } = await startCluster(1, {
    env: { TANDEM_STOP_GRACE_MS: '2000', TANDEM_PG_STATEMENT_TIMEOUT_MS: '1500' },
    via: async (urls) => {
      store = await startFaultProxy(urls.databaseUrl);
      return { ...urls, databaseUrl: store.url };
    },
  });

  it('exits after the grace with edits unstored, saying so, instead of waiting for good', async () => {
    const clinic = await createClinic(server!.baseUrl);
    const sessionId = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/start`), 200, 'start');
    const a = connectClient(server!.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'stored before the cut');
    await expect.poll(() => a.isSaved()).toBe(true);
    store!.cut();
    await expect.poll(() => healthOf(server!.baseUrl), { timeout: 30_000 }).toMatchObject({ store: 'down' });
    appendParagraph(a.doc, 'never stored');
    expect(await server!.kill('SIGTERM')).toBe(1);
    expect(server!.output.join('\n')).toContain('storage did not take what is pending in time');
    // The client still holds what was never confirmed, to send again.
    expect(a.isSaved()).toBe(false);
    expect(a.text()).toContain('never stored');
  });
});
