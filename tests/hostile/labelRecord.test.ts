/**
 * After the end a group's labels are the record of who was there and who was not. Only a member
 * note kept a label: M2, marked absent (no member note), was taken off the labels after the end
 * (PUT group-members, 200), and the group's record no longer said M2 had been absent; a label the
 * note named (a mention) went the same way, leaving the note naming a member the group no longer
 * had (attack, 7 Dec). A label whose attendance was recorded, or which the note names, now stays
 * (409 member_in_record); one nothing records may still go.
 */
import { describe, expect, it } from 'vitest';
import { createSession, expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { connectClient } from '../helpers/connectClient';
import { appendPieces, tagLine } from '../helpers/noteOps';

type Entries = { members: { member: string; attendance: string; recorded: boolean; noteSessionId: string | null }[] };

describe('after the end, a label in the record stays', async () => {
  const { server, clinic } = await startClinic();
  const labelsTo = (id: string, labels: string[]) => clinic.b.api.request<{ error?: { code: string; message: string } }>('PUT', `/api/sessions/${id}/group-members`, { labels });
  const entries = async (id: string) =>
    (await expectStatus(clinic.a.api.get<Entries>(`/api/sessions/${id}/member-notes`), 200, 'member notes')).members.map((m) => [m.member, m.recorded ? m.attendance : null, m.noteSessionId !== null]);
  const endedGroup = async (labels: string[], attendance: Record<string, string> = {}) => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`, { attendance }), 200, 'end');
    return id;
  };

  it('keeps the label of a member recorded absent, and their attendance with it', async () => {
    const id = await endedGroup(['M1', 'M2'], { M2: 'absent' });
    expect(await entries(id)).toEqual([['M1', null, true], ['M2', 'absent', false]]);
    for (const labels of [['M1'], ['M1', 'M9']]) {
      const refused = await labelsTo(id, labels);
      expect([refused.status, refused.body.error?.code]).toEqual([409, 'member_in_record']);
      expect(refused.body.error?.message).toContain('M2 (recorded absent)');
    }
    expect(await entries(id)).toEqual([['M1', null, true], ['M2', 'absent', false]]);
  });

  it('keeps a label added late that the note names, and lets one go that nothing records', async () => {
    const id = await endedGroup(['M1']);
    await expectStatus(labelsTo(id, ['M1', 'L1', 'L2', 'L3']), 200, 'labels added late');
    const page = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => page.provider.synced).toBe(true);
    appendPieces(page.doc, ['After the break ', { member: 'L1' }, ' came back in.']);
    tagLine(page.doc, 'L3', ' kept looking at the door', { authorId: clinic.a.id, tags: ['nonverbal'], member: 'L3' });
    await expect.poll(() => page.isSaved()).toBe(true);
    page.destroy();
    const refused = await labelsTo(id, ['M1']);
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'member_in_record']);
    expect(refused.body.error?.message).toContain('L1 (named in the note) and L3 (named in the note)');
    expect(refused.body.error?.message).not.toContain('L2');
    await expectStatus(labelsTo(id, ['M1', 'L1', 'L3']), 200, 'L2 taken off');
    expect((await entries(id)).map(([m]) => m)).toEqual(['M1', 'L1', 'L3']);
  });
});
