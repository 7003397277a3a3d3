/**
 * A member note's sign check sends its signers what the group note says for the member since the
 * note was made: the group note's own words. That read was recorded nowhere (attack, 6 Dec): the
 * supervisor, or the co-therapist, read the group note's late words through it over and over, and
 * neither the audit log nor the group note's "Who has read this note" said so.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntryView, NoteAccessView } from '../../shared/domain/audit';
import { expectStatus, type Person } from '../helpers/api';
import { connectClient, liveGroupWithLine } from '../helpers/connectClient';
import { appendPieces } from '../helpers/noteOps';
import { startClinic } from '../helpers/clinic';

describe('the group note’s words sent by a member note’s sign check', async () => {
  const { server, clinic } = await startClinic();
  const readsOf = async (groupId: string, who: Person) =>
    (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?limit=1000&sessionId=${groupId}`)).body.filter((e) => e.actorId === who.id && e.action === 'note_read');
  const changes = async (who: Person, noteId: string) => (await expectStatus(who.api.get<{ groupChanges: string[] }>(`/api/sessions/${noteId}/sign-check`), 200, 'sign check')).groupChanges;

  /** An ended group of M1 and M2 with its member notes made; returns M1's note. */
  async function endedGroup() {
    const { id, a } = await liveGroupWithLine(server.baseUrl, clinic, 'Theme: sleep');
    a.destroy();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`, { attendance: { M1: 'present', M2: 'present' } }), 200, 'end');
    const { members } = await expectStatus(clinic.a.api.get<{ members: { member: string; noteSessionId: string | null }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
    return { id, m1: members.find((m) => m.member === 'M1')!.noteSessionId! };
  }

  it('records nothing while the group note says nothing new for the member', async () => {
    const { id, m1 } = await endedGroup();
    expect(await changes(clinic.supervisor, m1)).toEqual([]);
    expect(await readsOf(id, clinic.supervisor)).toEqual([]);
  });

  it('is a read of the group note by whoever it is sent to, in the audit log and the access list', async () => {
    const { id, m1 } = await endedGroup();
    const group = connectClient(server.baseUrl, id, clinic.a.api.cookie);
    await expect.poll(() => group.provider.synced).toBe(true);
    appendPieces(group.doc, [{ member: 'M1' }, ' disclosed self-harm after the group.']);
    await expect.poll(() => group.isSaved()).toBe(true);
    group.destroy();

    for (const who of [clinic.supervisor, clinic.b]) {
      expect(await changes(who, m1)).toEqual(['disclosed self-harm after the group.']);
      expect((await readsOf(id, who)).map((e) => e.detail)).toEqual([expect.objectContaining({ way: 'sign_check', member: m1 })]);
    }
    const access = (await expectStatus(clinic.a.api.get<NoteAccessView[]>(`/api/sessions/${id}/access`), 200, 'access')).find((r) => r.accountId === clinic.supervisor.id);
    expect(access?.ways).toContain('sign_check');
  });
});
