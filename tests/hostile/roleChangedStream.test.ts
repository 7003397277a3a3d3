/**
 * A page's live stream is told, by id, when a session's comments change, and only if the account
 * may read the session. A member whose account role no longer fits the membership (policies.ts
 * `can`) was still told (attack, 6 Dec): a therapist made an admin, or a supervisor made a
 * clinician, heard of every change to the comments of the sessions they may no longer read, for as
 * long as their page stayed open.
 */
import { describe, expect, it } from 'vitest';
import type { AccountRole } from '../../shared/domain/roles';
import { createPerson, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { lineToComment } from '../helpers/desk';
import { openLiveStream } from '../helpers/liveStream';

describe('the live stream of a member whose account role changed', async () => {
  const { server, clinic } = await startClinic();

  /** A session with `role` held by a new account, whose role then becomes `madeInto`; what each stream heard of a new comment. */
  async function heardAfter(role: 'therapist' | 'supervisor', madeInto: AccountRole) {
    const { id, comment } = await lineToComment(server.baseUrl, clinic, 'M1 was quiet today');
    const person = await createPerson(clinic.admin.api, role === 'therapist' ? 'clinician' : 'supervisor', `Pat ${id.slice(0, 4)}`);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: person.id, role }), 201, 'add');
    const changed = openLiveStream(person.api);
    const fitting = openLiveStream(clinic.b.api);
    await expect.poll(() => changed.open() && fitting.open()).toBe(true);
    await expectStatus(clinic.admin.api.patch(`/api/users/${person.id}`, { role: madeInto }), 200, 'change the role');
    await comment('After the change');
    const about = (events: typeof changed.events) => events.filter((e) => e.type === 'comments' && e.sessionId === id);
    // The co-therapist, whose membership fits, hears of it: by then the other stream would have too.
    await expect.poll(() => about(fitting.events).length).toBeGreaterThan(0);
    await expectStatus(clinic.b.api.get(`/api/sessions/${id}/threads`), 200, 'B reads the threads');
    return about(changed.events);
  }

  it('tells a therapist made an admin nothing of the session', async () => {
    expect(await heardAfter('therapist', 'admin')).toEqual([]);
  });

  it('tells a supervisor made a clinician nothing of the session', async () => {
    expect(await heardAfter('supervisor', 'clinician')).toEqual([]);
  });
});
