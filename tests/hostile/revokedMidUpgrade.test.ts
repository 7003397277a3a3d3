/**
 * A websocket upgrade is decided from reads (login, account, members) made before its socket is a
 * connection, so a revocation that comes meanwhile closes nothing of it (attack, 6 Dec): a member
 * removed, or a therapist made an admin, while their upgrade's reads were out got 101 and the note
 * under the rights taken from them. The window is as long as those reads take (a slow database).
 */
import { describe, expect, it } from 'vitest';
import { createClinic, createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { upgradeStatus } from '../helpers/rawSocket';
import { startTestServer } from '../helpers/startTestServer';
import type { Store } from '../../server/persistence/ports';

describe('a revocation while an upgrade is decided', async () => {
  /** The next read of this session's members waits for the returned release; `reached` once it does. */
  let hold: { sessionId: string; reached: () => void; until: Promise<void> } | null = null;
  const server = await startTestServer({
    decorateStore: (store: Store): Store => ({
      ...store,
      sessions: Object.assign(Object.create(Object.getPrototypeOf(store.sessions) as object) as Store['sessions'], store.sessions, {
        members: async (id: string) => {
          const held = hold?.sessionId === id ? hold : null;
          if (held) {
            hold = null;
            const answer = await store.sessions.members(id);
            held.reached();
            await held.until;
            return answer;
          }
          return store.sessions.members(id);
        },
      }),
    }),
  });
  const clinic = await createClinic(server.baseUrl);

  /** Cam's upgrade to a session she is a therapist of, with `revoke` run while its members read is out. */
  async function upgradeAcross(revoke: (cam: Person, id: string) => Promise<unknown>): Promise<number> {
    const id = await createSession(clinic);
    const cam = await createPerson(clinic.admin.api, 'clinician', `Cam ${id.slice(0, 4)}`);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: cam.id, role: 'therapist' }), 201, 'add Cam');
    let release!: () => void;
    const reached = new Promise<void>((resolve) => {
      hold = { sessionId: id, reached: resolve, until: new Promise<void>((r) => (release = r)) };
    });
    const status = upgradeStatus(server.baseUrl, `/sync/${id}`, { cookie: cam.api.cookie!, origin: cam.api.origin });
    await reached;
    await revoke(cam, id);
    release();
    return status;
  }

  it('refuses a member removed meanwhile', async () => {
    expect(await upgradeAcross((cam, id) => expectStatus(clinic.a.api.request('DELETE', `/api/sessions/${id}/members/${cam.id}`), 204, 'remove Cam'))).toBe(403);
  });

  it('refuses a therapist made an admin meanwhile', async () => {
    expect(await upgradeAcross((cam) => expectStatus(clinic.admin.api.patch(`/api/users/${cam.id}`, { role: 'admin' }), 200, 'make Cam an admin'))).toBe(403);
  });

  it('refuses a login ended meanwhile', async () => {
    expect(await upgradeAcross((cam) => expectStatus(clinic.admin.api.request('DELETE', `/api/users/${cam.id}/logins`), 200, 'end Cam’s logins'))).toBe(401);
  });
});
