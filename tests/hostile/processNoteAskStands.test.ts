/**
 * One rule says which keeper's asks about the process notes stand (processNoteAsks.ts
 * standingAsks), and every place that shows or counts an ask reads it (attack, 7 Dec):
 * - the page read the ask to share from a column of its own, and went on showing it after its
 *   asker was taken off the session;
 * - an ask of an account deactivated since still counted, and the co-keeper's press removed the
 *   notes on the strength of an ask nobody could see or take back;
 * - the inbox notice of an ask to remove them went on saying "they are removed only if you agree"
 *   after the notes were removed, or the ask no longer stood;
 * - B withdrew their ask while A pressed Remove, each judged on what it read before the other
 *   wrote, and the notes were removed on a withdrawn ask (B told 200 'withdrawn').
 */
import { describe, expect, it } from 'vitest';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import type { NoticesView } from '../../shared/domain/supervisor';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

describe('an ask about the process notes is shown, counted and told only while it stands', async () => {
  const { clinic } = await startClinic();
  const { a, b, outsider, admin } = clinic;
  const url = (id: string, tail = '') => `/api/sessions/${id}/process-note${tail}`;
  const view = (p: Person, id: string) => expectStatus(p.api.get<ProcessNoteView | { removedAt: string } | null>(url(id)), 200, 'view');
  const remove = (p: Person, id: string) => p.api.delete<ProcessNoteView>(url(id));
  const withdraw = (p: Person, id: string) => p.api.delete<ProcessNoteView>(url(id, '/removal-ask'));
  const noticesOf = async (p: Person, id: string) =>
    (await expectStatus(p.api.get<NoticesView>('/api/notices'), 200, 'notices')).notices.filter((n) => n.sessionId === id && n.kind.startsWith('process_')).map((n) => [n.now, n.text]);
  /** A session of A, B (and `more` therapists) with the supervisor, whose process notes A made. */
  const notesOf = async (more: Person[] = []) => {
    const id = await createSession(clinic);
    for (const p of more) await expectStatus(a.api.post(`/api/sessions/${id}/members`, { userId: p.id, role: 'therapist' }), 201, 'add');
    await expectStatus(a.api.post<ProcessNoteView>(url(id), {}), 201, 'process notes');
    return id;
  };
  const asked = (by: Person) => `${by.name} asked to remove the process notes of “Tuesday group” for good`;

  it('no longer shows an ask to share once its asker was taken off the session', async () => {
    const id = await notesOf();
    expect((await expectStatus(a.api.post<ProcessNoteView>(url(id, '/share')), 200, 'ask to share')).shareAsked).toMatchObject({ byMe: true });
    expect((await view(b, id)) as ProcessNoteView).toMatchObject({ shareAsked: { byName: a.name, waitsForMe: true }, sharedAt: null });
    await expectStatus(b.api.delete(`/api/sessions/${id}/members/${a.id}`), 204, 'A taken off');
    expect(((await view(b, id)) as ProcessNoteView).shareAsked).toBeNull();
  });

  it('no longer counts an ask of a keeper whose account was deactivated: the other’s press only asks, and the notice says so', async () => {
    const dee = await createPerson(admin.api, 'clinician', 'Dee Cotherapist');
    const id = await notesOf([dee]);
    expect((await remove(dee, id)).status).toBe(202);
    expect(await noticesOf(a, id)).toEqual([['waiting', `${asked(dee)}; they are removed only if you and ${b.name} agree.`]]);
    await expectStatus(admin.api.patch(`/api/users/${dee.id}`, { active: false }), 200, 'deactivate Dee');
    expect(((await view(a, id)) as ProcessNoteView).removalAsked).toBeNull();
    expect(await noticesOf(a, id)).toEqual([['lapsed', `${asked(dee)}; that ask no longer stands, so nothing waits for you, and they are kept.`]]);
    expect((await remove(a, id)).status).toBe(202);
    expect((await remove(b, id)).status).toBe(202);
    expect(await view(a, id)).toMatchObject({ removalAsked: { byMe: true, waitingFor: [dee.name] } });
  });

  it('tells the reader of an ask to remove them that they agreed, that the notes were removed, or that the ask lapsed', async () => {
    const id = await notesOf([outsider]);
    expect((await remove(a, id)).status).toBe(202);
    expect(await noticesOf(b, id)).toEqual([['waiting', `${asked(a)}; they are removed only if you and ${outsider.name} agree.`]]);
    expect((await remove(b, id)).status).toBe(202);
    expect(await noticesOf(b, id)).toEqual([['agreed', `${asked(a)}; you agreed, and they are removed once ${outsider.name} agrees too.`]]);
    expect((await remove(outsider, id)).status).toBe(204);
    for (const p of [b, outsider]) expect(await noticesOf(p, id)).toContainEqual(['removed', `${asked(a)}; they were removed since.`]);

    // Its asker taken off the session: the ask lapsed.
    const other = await notesOf();
    expect((await remove(a, other)).status).toBe(202);
    await expectStatus(b.api.delete(`/api/sessions/${other}/members/${a.id}`), 204, 'A taken off');
    expect(await noticesOf(b, other)).toEqual([['lapsed', `${asked(a)}; that ask no longer stands, so nothing waits for you, and they are kept.`]]);
  });

  it('never removes them on an ask withdrawn while the removal was pressed', async () => {
    // Before the steps were stored at the version judged, round 2 of 10 answered remove 204, withdraw 200: removed on a withdrawn ask.
    for (let round = 1; round <= 10; round++) {
      const id = await notesOf();
      expect((await remove(b, id)).status).toBe(202);
      const [removal, withdrawal] = await Promise.all([remove(a, id), withdraw(b, id)]);
      const after = await view(a, id);
      const outcome = `round ${round}: remove ${removal.status}, withdraw ${withdrawal.status}, ${after && 'removedAt' in after ? 'removed' : 'kept'}`;
      // Either the withdrawal came first (A's press only asks; the notes stay) or the removal did (nothing left to withdraw).
      expect([`round ${round}: remove 202, withdraw 200, kept`, `round ${round}: remove 204, withdraw 404, removed`]).toContain(outcome);
    }
  });
});
