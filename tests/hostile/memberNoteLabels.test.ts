/**
 * A group's member labels are the keys of its member records: attendance, the list of member
 * notes and each note's page follow them. After the end (M1 and M2 each with a member note), B
 * took "M2" off the labels (200): the group's list no longer showed M2's note, its page answered
 * 404 and M2's attendance was gone from the group; renamed M1 → M3, the list showed M3 with no note
 * and M1's note nowhere. A label whose member has a note from the session now stays.
 */
import { describe, expect, it } from 'vitest';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';

type Entries = { members: { member: string; noteSessionId: string | null }[] };

describe('the label of a member with a member note stays', async () => {
  const { clinic } = await startClinic();
  const labelsTo = (id: string, labels: string[]) => clinic.b.api.request<{ error?: { code: string; message: string } }>('PUT', `/api/sessions/${id}/group-members`, { labels });
  const listed = async (id: string) => (await expectStatus(clinic.a.api.get<Entries>(`/api/sessions/${id}/member-notes`), 200, 'member notes')).members.map((m) => [m.member, m.noteSessionId !== null]);
  const groupOf = async (labels: string[]) => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    return id;
  };

  it('refuses taking away or renaming a label with a member note, and keeps the note listed and open', async () => {
    const id = await groupOf(['M1', 'M2', 'M3']);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/attendance`, { attendance: { M3: 'absent' } }), 200, 'M3 absent');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    expect(await listed(id)).toEqual([['M1', true], ['M2', true], ['M3', false]]);
    const removed = await labelsTo(id, ['M1', 'M3']);
    expect([removed.status, removed.body.error?.code]).toEqual([409, 'member_note_exists']);
    expect(removed.body.error?.message).toContain('M2 already has a member note');
    const renamed = await labelsTo(id, ['M4', 'M2', 'M3']);
    expect([renamed.status, renamed.body.error?.message]).toEqual([409, expect.stringContaining('M1 already has a member note')]);
    expect(await listed(id)).toEqual([['M1', true], ['M2', true], ['M3', false]]);
    expect((await clinic.a.api.get(`/api/sessions/${id}/member-notes/M2`)).status).toBe(200);
    // A label may still be added (a member noted late).
    await expectStatus(labelsTo(id, ['M1', 'M2', 'M3', 'M5']), 200, 'M5 on');
    expect(await listed(id)).toEqual([['M1', true], ['M2', true], ['M3', false], ['M5', false]]);
  });

  it('never makes a member note for a label taken away while the notes were being made', async () => {
    const id = await groupOf(['M1']);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    // Attack, 6 Dec: A's press of "Make member notes" for a label added late, and B's taking the
    // label away at the same moment. Both were judged on what each read before the other wrote:
    // the label went (200) and the note was made for it (201), listed nowhere (404 on its page).
    const noted = ['M1'];
    for (let round = 1; round <= 20; round++) {
      const label = `L${round}`;
      await expectStatus(labelsTo(id, [...noted, label]), 200, `${label} on`);
      const [made, taken] = await Promise.all([
        clinic.a.api.post<{ created: number }>(`/api/sessions/${id}/member-notes`, {}),
        labelsTo(id, noted),
      ]);
      const noteMade = made.status === 201 && made.body.created > 0;
      expect([round, noteMade && taken.status === 200]).toEqual([round, false]);
      if (taken.status !== 200) expect(taken.body.error?.code).toBe('member_note_exists');
      if (noteMade) {
        await expectStatus(clinic.a.api.get(`/api/sessions/${id}/member-notes/${label}`), 200, `${label}'s note`);
        noted.push(label);
      } else await expectStatus(labelsTo(id, noted), 200, `${label} off`);
    }
    expect((await listed(id)).every(([, hasNote]) => hasNote)).toBe(true);
  });

  it('still lets the therapists change the labels before any member note is made', async () => {
    const id = await groupOf(['M1', 'M2']);
    await expectStatus(labelsTo(id, ['M1']), 200, 'M2 off while live');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    expect(await listed(id)).toEqual([['M1', true]]);
  });
});
