/**
 * An ask to remove the process notes could not be taken back, and outlived its asker's leaving:
 * B asked, left the session (taken off it), came back months on, and A's press removed B's words
 * at once (204) on the strength of an ask B could neither see nor withdraw. Now an asker withdraws
 * it (audited, the other keepers' open pages told and a notice in their inbox), and an ask counts
 * only while its asker has kept the notes since they asked.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import type { NoticesView } from '../../shared/domain/supervisor';
import { createSession, expectStatus, type Person } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';
import { openLiveStream } from '../helpers/liveStream';
import { processNotesWithWords } from '../helpers/processNotes';
import { upgradeStatus } from '../helpers/rawSocket';

const B_WORDS = 'PROCESS: B on what the father story stirred in her';

describe('an ask to remove the process notes is its asker’s to withdraw, and lapses when they stop keeping them', async () => {
  const { server, clinic } = await startClinic();
  const view = (p: Person, id: string) => expectStatus(p.api.get<ProcessNoteView>(`/api/sessions/${id}/process-note`), 200, 'view');
  const remove = (p: Person, id: string) => p.api.delete<ProcessNoteView>(`/api/sessions/${id}/process-note`);
  const withdraw = (p: Person, id: string) => p.api.delete<ProcessNoteView & { error?: { code: string } }>(`/api/sessions/${id}/process-note/removal-ask`);
  const actions = async (id: string) => (await clinic.admin.api.get<{ action: string }[]>(`/api/audit?sessionId=${id}`)).body.map((e) => e.action).filter((a) => a.startsWith('process_note_')).reverse();
  const noticesOf = async (p: Person, id: string) =>
    (await expectStatus(p.api.get<NoticesView>('/api/notices'), 200, 'notices')).notices.filter((n) => n.sessionId === id).map((n) => [n.kind, n.text]);
  const stillThere = async (pid: string) => {
    const c = connectClient(server.baseUrl, pid, clinic.b.api.cookie);
    await expect.poll(() => c.text()).toContain(B_WORDS);
    c.destroy();
  };

  it('lets the asker withdraw their ask: audited, the other keeper told on their page and in their inbox, and the other’s press then only asks', async () => {
    const { id, pid } = await processNotesWithWords(server.baseUrl, clinic, B_WORDS);
    const pageOfB = openLiveStream(clinic.b.api);
    try {
      await expect.poll(() => pageOfB.open()).toBe(true);
      const told = () => pageOfB.events.filter((e) => e.type === 'session' && e.sessionId === id).length;
      expect((await remove(clinic.a, id)).status).toBe(202);
      await expect.poll(told).toBe(1);
      expect(await noticesOf(clinic.b, id)).toEqual([['process_removal_asked', expect.stringContaining(`${clinic.a.name} asked to remove the process notes`)]]);
      // Only the asker's own ask is theirs to withdraw; one not of the session is refused.
      const notB = await withdraw(clinic.b, id);
      expect([notB.status, notB.body.error?.code]).toEqual([409, 'no_removal_ask']);
      expect((await withdraw(clinic.outsider, id)).status).toBe(403);
      const withdrawn = await withdraw(clinic.a, id);
      expect([withdrawn.status, withdrawn.body.removalAsked]).toEqual([200, null]);
      await expect.poll(told).toBe(2);
      expect((await view(clinic.b, id)).removalAsked).toBeNull();
      expect((await noticesOf(clinic.b, id))[0]).toEqual(['process_removal_withdrawn', expect.stringContaining(`${clinic.a.name} withdrew their ask to remove the process notes`)]);
      // Withdrawn, it is nobody's agreement: B's press asks A, and the words stay.
      expect((await remove(clinic.b, id)).status).toBe(202);
      await stillThere(pid);
      const again = await withdraw(clinic.a, id);
      expect([again.status, again.body.error?.code]).toEqual([409, 'no_removal_ask']);
      expect(await actions(id)).toEqual(['process_note_created', 'process_note_removal_asked', 'process_note_removal_withdrawn', 'process_note_removal_asked']);
    } finally {
      pageOfB.close();
    }
  });

  it('keeps one notice per asker in the other keeper’s inbox, however often they ask and withdraw', async () => {
    const { id } = await processNotesWithWords(server.baseUrl, clinic, B_WORDS);
    const unread = async () => (await expectStatus(clinic.b.api.get<NoticesView>('/api/notices'), 200, 'notices')).unread;
    const before = await unread();
    // Attack, 6 Dec: each ask and each withdrawal put a new notice in B's inbox, so A's loop of
    // forty presses left forty unread notices there, pushing B's other notices out of it.
    for (let round = 0; round < 20; round++) {
      expect((await remove(clinic.a, id)).status).toBe(202);
      expect((await withdraw(clinic.a, id)).status).toBe(200);
    }
    expect(await noticesOf(clinic.b, id)).toEqual([['process_removal_withdrawn', expect.stringContaining(`${clinic.a.name} withdrew their ask`)]]);
    expect(await unread()).toBe(before + 1);
    expect((await remove(clinic.a, id)).status).toBe(202);
    expect(await noticesOf(clinic.b, id)).toEqual([['process_removal_asked', expect.stringContaining(`${clinic.a.name} asked to remove the process notes`)]]);
    expect(await unread()).toBe(before + 1);
  });

  it('no longer counts an ask of a keeper who left the session, nor once they are back', async () => {
    const { id, pid } = await processNotesWithWords(server.baseUrl, clinic, B_WORDS);
    expect((await remove(clinic.b, id)).status).toBe(202);
    expect((await clinic.a.api.delete(`/api/sessions/${id}/members/${clinic.b.id}`)).status).toBe(204);
    expect((await view(clinic.a, id)).removalAsked).toBeNull();
    // B wrote in them, so B is given them back with the session (followingMembers.ts); the old ask is not.
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.b.id, role: 'therapist' }), 201, 'B back');
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, { cookie: clinic.b.api.cookie!, origin: server.baseUrl })).toBe(101);
    expect((await view(clinic.a, id)).removalAsked).toBeNull();
    expect((await remove(clinic.a, id)).status).toBe(202);
    await stillThere(pid);
    expect((await view(clinic.b, id)).removalAsked).toMatchObject({ byName: clinic.a.name, byMe: false });
  });

  it('keeps the other keepers’ asks when one of three withdraws, and shows each keeper their own', async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.outsider.id, role: 'therapist' }), 201, 'C a therapist');
    const { processSessionId: pid } = await expectStatus(clinic.a.api.post<ProcessNoteView>(`/api/sessions/${id}/process-note`, {}), 201, 'process notes');
    const c = connectClient(server.baseUrl, pid, clinic.outsider.api.cookie);
    await expect.poll(() => c.provider.synced).toBe(true);
    appendParagraph(c.doc, 'PROCESS: C on the silence');
    await expect.poll(() => c.isSaved()).toBe(true);
    c.destroy();
    expect((await remove(clinic.a, id)).status).toBe(202);
    expect((await remove(clinic.b, id)).status).toBe(202);
    // A's own ask is shown to A, though B's is newer.
    expect((await view(clinic.a, id)).removalAsked).toMatchObject({ byMe: true });
    expect((await withdraw(clinic.a, id)).status).toBe(200);
    expect((await view(clinic.outsider, id)).removalAsked).toMatchObject({ byName: clinic.b.name });
    // C's press does not remove them: A withdrew. B's ask stands, so A asking again with C's removes them.
    expect((await remove(clinic.outsider, id)).status).toBe(202);
    expect((await remove(clinic.a, id)).status).toBe(204);
  });
});
