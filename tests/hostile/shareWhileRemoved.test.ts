/**
 * A share of the process notes pressed while an admin takes the supervisor off the session (attack,
 * 7 Dec): the share read the session's supervisors, the admin's removal read the notes' own members
 * (the supervisor not yet among them) and stored, and the share then gave the notes to a supervisor
 * the session no longer had, who opened them (101) though no longer a member of anything they come
 * from. A membership change of the session is now stored at the version of the notes' own session
 * it read, as every keeper step is (followingMembers.ts), so one of the two is judged again.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import { createSession, expectStatus } from '../helpers/api';
import { upgradeStatus } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';

describe('a supervisor taken off the session while the notes are shared is not given them', async () => {
  const { server, clinic } = await startClinic();
  const { a, b, admin, supervisor } = clinic;
  const url = (id: string, tail = '') => `/api/sessions/${id}/process-note${tail}`;

  it('leaves the removed supervisor out of the notes, whichever of the two came first', async () => {
    for (let round = 1; round <= 10; round++) {
      const id = await createSession(clinic);
      const { processSessionId: pid } = await expectStatus(a.api.post<ProcessNoteView>(url(id), {}), 201, 'process notes');
      await expectStatus(b.api.post<ProcessNoteView>(url(id, '/share')), 200, 'B asks to share');
      const [share, removal] = await Promise.all([
        a.api.post<ProcessNoteView>(url(id, '/share')),
        admin.api.request('DELETE', `/api/sessions/${id}/members/${supervisor.id}`, { reason: 'left the clinic' }),
      ]);
      const socket = await upgradeStatus(server.baseUrl, `/sync/${pid}`, { cookie: supervisor.api.cookie!, origin: server.baseUrl });
      expect(`round ${round}: share ${share.status}, removal ${removal.status}, supervisor's socket ${socket}`).toBe(`round ${round}: share 200, removal 204, supervisor's socket 403`);
    }
  });
});
