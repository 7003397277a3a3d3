/**
 * A websocket upgrade decided on process A across a revocation made through process B (attack,
 * 6 Dec). A decides from reads made before the socket is a connection, and decides again when a
 * revocation came meanwhile; but it counted only its own. B's word (`recheck-access`, over Redis)
 * reached A while its upgrade was out, A's re-check listed A's connections (the upgrade was not one
 * yet), and the upgrade then opened under the rights B had just taken away: 101 and the note.
 *
 * Here A's last read of the upgrade (the blind setting, after the membership is read) is held at
 * A's link to PostgreSQL while B revokes; A's pages hear of a later change made on B (the codebook,
 * sent after B's word on the same channel), so A has heard B's word before the read is let go.
 */
import { expect, it } from 'vitest';
import { ApiClient, createClinic, createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { startFaultProxy, type FaultProxy } from '../helpers/faultProxy';
import { openLiveStream } from '../helpers/liveStream';
import { upgradeStatus } from '../helpers/rawSocket';
import { describeWith, Postgres, Redis } from '../helpers/services';
import type { ServerProcess } from '../helpers/startTestServer';
import { startCluster } from './cluster';

describeWith([Postgres, Redis], 'a revocation on another process while an upgrade is decided', async () => {
  let proxy!: FaultProxy;
  const cluster = await startCluster(2, {
    via: async (urls, i) => {
      if (i > 0) return urls;
      proxy = await startFaultProxy(urls.databaseUrl);
      return { ...urls, databaseUrl: proxy.url };
    },
  });
  const [pA, pB] = cluster.servers as [ServerProcess, ServerProcess];
  const clinic = await createClinic(pA.baseUrl);
  const onB = (p: Person) => Object.assign(new ApiClient(pB.baseUrl), { cookie: p.api.cookie });
  let tags = 0;

  /** Cam's upgrade on A to a session she is a therapist of, with `revoke` made through B while A's decision is out. */
  async function upgradeAcross(revoke: (cam: Person, id: string) => Promise<unknown>): Promise<number> {
    const id = await createSession(clinic);
    const cam = await createPerson(clinic.admin.api, 'clinician', `Cam ${id.slice(0, 4)}`);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: cam.id, role: 'therapist' }), 201, 'add Cam');
    const alexOnA = openLiveStream(clinic.a.api);
    await expect.poll(() => alexOnA.open()).toBe(true);

    const held = proxy.freezeAfter(/learning_blind_settings/);
    const status = upgradeStatus(pA.baseUrl, `/sync/${id}`, { cookie: cam.api.cookie!, origin: cam.api.origin });
    await held;
    await revoke(cam, id);
    await expectStatus(onB(clinic.admin).post('/api/tags', { name: `After the revocation ${++tags}`, color: '#123456' }), 201, 'a tag, on B');
    await expect.poll(() => alexOnA.events.some((e) => e.type === 'codebook'), { timeout: 30_000 }).toBe(true);
    proxy.heal();
    return status;
  }

  it('refuses a member removed through the other process', async () => {
    expect(await upgradeAcross((cam, id) => expectStatus(onB(clinic.a).delete(`/api/sessions/${id}/members/${cam.id}`), 204, 'remove Cam on B'))).toBe(403);
  }, 120_000);

  it('refuses a therapist made an admin through the other process', async () => {
    expect(await upgradeAcross((cam) => expectStatus(onB(clinic.admin).patch(`/api/users/${cam.id}`, { role: 'admin' }), 200, 'make Cam an admin on B'))).toBe(403);
  }, 120_000);
});
