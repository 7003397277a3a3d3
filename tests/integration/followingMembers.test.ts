import { describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { createPerson, createSession, expectStatus, type Person } from '../helpers/api';
import { appendParagraph, connectClient, type TestClient } from '../helpers/connectClient';
import { upgradeStatus } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';

// Attack, 4 Dec: process notes and member notes are sessions of their own, and their members were
// copied from the session once; a member removed from the session kept reading them (and a removed
// co-therapist kept writing in the process notes), over live sockets and HTTP alike.
describe('process notes and member notes follow the members of their session', async () => {
  const { server, clinic } = await startClinic();
  const headers = (p: Person) => ({ cookie: p.api.cookie!, origin: server.baseUrl });
  const synced = async (p: Person, sessionId: string): Promise<TestClient> => {
    const c = connectClient(server.baseUrl, sessionId, p.api.cookie);
    await expect.poll(() => c.provider.synced).toBe(true);
    return c;
  };
  const closedForbidden = (c: TestClient) => expect.poll(() => c.closes.map((x) => x.code)).toContain(CloseCode.Forbidden);
  const listed = async (p: Person) => (await p.api.get<{ id: string }[]>('/api/sessions')).body.map((s) => s.id);
  const remove = (id: string, p: Person) => clinic.a.api.delete(`/api/sessions/${id}/members/${p.id}`);
  /** An ended group session of one member (M1) and that member's note, signed by both therapists. */
  const signedMemberNote = async (): Promise<{ id: string; noteId: string }> => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'labels');
    for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
    const { members } = await expectStatus(clinic.a.api.get<{ members: { noteSessionId: string }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
    const noteId = members[0]!.noteSessionId;
    for (const p of [clinic.a, clinic.b]) await expectStatus(p.api.post(`/api/sessions/${noteId}/sign`), 200, `${p.name} signs`);
    return { id, noteId };
  };

  it('takes the shared process notes from a removed supervisor and co-therapist: open sockets close, new ones are refused', async () => {
    const id = await createSession(clinic);
    const { processSessionId: pid } = await expectStatus(clinic.a.api.post<{ processSessionId: string }>(`/api/sessions/${id}/process-note`, {}), 201, 'process notes');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/process-note/share`), 200, 'A asks to share');
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/process-note/share`), 200, 'B agrees');
    const a = await synced(clinic.a, pid);
    appendParagraph(a.doc, 'PROCESS: what the room did to me');
    const supervisor = await synced(clinic.supervisor, pid);
    await expect.poll(() => supervisor.text()).toContain('what the room did to me');
    const b = await synced(clinic.b, pid);
    appendParagraph(b.doc, 'PROCESS: B on the same hour');
    await expect.poll(() => b.isSaved()).toBe(true);

    expect((await remove(id, clinic.supervisor)).status).toBe(204);
    await closedForbidden(supervisor);
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.supervisor))).toBe(403);
    expect((await clinic.supervisor.api.get(`/api/sessions/${pid}`)).status).toBe(403);
    // B has written nothing in the session's note, so A may remove B: B leaves the process notes too.
    expect((await remove(id, clinic.b)).status).toBe(204);
    await closedForbidden(b);
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.b))).toBe(403);
    // A keeps them; each removal is in the process notes' own audit trail, saying which session it followed.
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.a))).toBe(101);
    const audit = (await clinic.admin.api.get<{ action: string; detail: { accountId: string; followed?: string } }[]>(`/api/audit?sessionId=${pid}`)).body;
    expect(audit.filter((e) => e.action === 'member_removed').map((e) => [e.detail.accountId, e.detail.followed]).sort()).toEqual(
      [[clinic.b.id, id], [clinic.supervisor.id, id]].sort(),
    );
    // Added back, B, who wrote in them, is a therapist of them again; the supervisor reads them
    // only once the keepers share them again (processNoteKeepers.test.ts).
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.supervisor.id, role: 'supervisor' }), 201, 'add back');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.b.id, role: 'therapist' }), 201, 'add back');
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.supervisor))).toBe(403);
    const again = await synced(clinic.b, pid);
    await expect.poll(() => again.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: true });
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/process-note/share`), 200, 'A asks again');
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/process-note/share`), 200, 'B agrees again');
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.supervisor))).toBe(101);
    for (const c of [a, again]) c.destroy();
  });

  it('gives process notes not yet shared to no supervisor added later', async () => {
    const id = await createSession(clinic);
    const { processSessionId: pid } = await expectStatus(clinic.a.api.post<{ processSessionId: string }>(`/api/sessions/${id}/process-note`, {}), 201, 'process notes');
    expect((await remove(id, clinic.supervisor)).status).toBe(204);
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.supervisor.id, role: 'supervisor' }), 201, 'add back');
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.supervisor))).toBe(403);
  });

  it('takes the member notes from a removed supervisor, and gives them to one added after the end', async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const { members } = await expectStatus(clinic.a.api.get<{ members: { noteSessionId: string }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
    const noteIds = members.map((m) => m.noteSessionId);
    expect(noteIds).toHaveLength(2);
    const open = await synced(clinic.supervisor, noteIds[0]!);

    expect((await remove(id, clinic.supervisor)).status).toBe(204);
    await closedForbidden(open);
    for (const noteId of noteIds) {
      for (const path of ['', '/review', '/export.md']) expect((await clinic.supervisor.api.get(`/api/sessions/${noteId}${path}`)).status, path).toBe(403);
      expect(await upgradeStatus(server.baseUrl, `/sync/${noteId}`, headers(clinic.supervisor))).toBe(403);
    }
    expect(await listed(clinic.supervisor)).not.toContain(noteIds[0]);

    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.supervisor.id, role: 'supervisor' }), 201, 'add back');
    for (const noteId of noteIds) expect((await clinic.supervisor.api.get<{ myRole: string }>(`/api/sessions/${noteId}`)).body.myRole).toBe('supervisor');
  });

  // A signed member note keeps its members; one removed from the group session afterwards, who
  // then returned the note for revision, read the group note's words as they are now through its
  // sign check.
  it('shows one removed from the group session nothing of the group note through a member note they kept', async () => {
    const { id, noteId } = await signedMemberNote();
    expect((await remove(id, clinic.supervisor)).status).toBe(204);
    await expectStatus(clinic.supervisor.api.post(`/api/sessions/${noteId}/return`, { reason: 'Add the plan.' }), 200, 'returned');
    const group = await synced(clinic.a, id);
    appendParagraph(group.doc, 'The group agreed on new rules for phones.');
    await expect.poll(() => group.isSaved()).toBe(true);
    group.destroy();

    const changes = async (p: Person) => (await expectStatus(p.api.get<{ groupChanges: string[] }>(`/api/sessions/${noteId}/sign-check`), 200, 'sign check')).groupChanges;
    expect(await changes(clinic.a)).toContain('The group agreed on new rules for phones.');
    // Returned, the note is open again and its members follow the group session's: the supervisor
    // removed from it is out of the note too.
    expect((await clinic.supervisor.api.get(`/api/sessions/${noteId}/sign-check`)).status).toBe(403);
  });

  // A signed member note keeps its members; returned for revision, they follow the group session's again.
  it('gives a returned member note the members its group session has now', async () => {
    const { id, noteId } = await signedMemberNote();
    const open = await synced(clinic.supervisor, noteId);
    expect((await remove(id, clinic.supervisor)).status).toBe(204);
    const next = await createPerson(clinic.admin.api, 'supervisor', 'Noor Supervisor');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: next.id, role: 'supervisor' }), 201, 'new supervisor');
    // Locked, the note keeps the supervisor who is to co-sign it, and nobody new reads it.
    expect((await next.api.get(`/api/sessions/${noteId}`)).status).toBe(403);
    expect(open.closes).toEqual([]);

    await expectStatus(clinic.supervisor.api.post(`/api/sessions/${noteId}/return`, { reason: 'Add the plan.' }), 200, 'returned');
    await closedForbidden(open);
    for (const path of ['', '/review', '/export.md']) expect((await clinic.supervisor.api.get(`/api/sessions/${noteId}${path}`)).status, path).toBe(403);
    expect(await upgradeStatus(server.baseUrl, `/sync/${noteId}`, headers(clinic.supervisor))).toBe(403);
    expect((await next.api.get<{ myRole: string }>(`/api/sessions/${noteId}`)).body.myRole).toBe('supervisor');
    const audit = (await clinic.admin.api.get<{ action: string; detail: { accountId: string; followed?: string } }[]>(`/api/audit?sessionId=${noteId}`)).body;
    expect(audit.filter((e) => e.detail.followed === id).map((e) => [e.action, e.detail.accountId]).sort()).toEqual(
      [['member_added', next.id], ['member_removed', clinic.supervisor.id]].sort(),
    );
  });

  it('refuses to remove a therapist who wrote in a member note, and changes nothing anywhere', async () => {
    const id = await createSession(clinic);
    await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'labels');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/start`), 200, 'start');
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const { members } = await expectStatus(clinic.a.api.get<{ members: { noteSessionId: string }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
    const noteId = members[0]!.noteSessionId;
    const b = await synced(clinic.b, noteId);
    appendParagraph(b.doc, 'M1 asked for a call on Thursday.');
    await expect.poll(() => b.isSaved()).toBe(true);

    const refused = await remove(id, clinic.b);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'author_member' } });
    expect(await listed(clinic.b)).toEqual(expect.arrayContaining([id, noteId]));
    expect(b.closes).toEqual([]);
    b.destroy();
  });
  it('signs a member note whose co-author an admin took off the group, and not one whose co-author left it otherwise', async () => {
    const c = await createPerson(clinic.admin.api, 'clinician', 'Cai Cotherapist');
    /** An ended group session with C as a third therapist, and M1's note with a line C wrote. */
    const memberNoteWithC = async () => {
      const id = await createSession(clinic);
      await expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: c.id, role: 'therapist' }), 201, 'add C');
      await expectStatus(clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1'] }), 200, 'labels');
      for (const step of ['start', 'end']) await expectStatus(clinic.a.api.post(`/api/sessions/${id}/${step}`), 200, step);
      const { members } = await expectStatus(clinic.a.api.get<{ members: { noteSessionId: string }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
      const noteId = members[0]!.noteSessionId;
      const writer = await synced(c, noteId);
      appendParagraph(writer.doc, 'Cai: M1 asked for a referral.');
      await expect.poll(() => writer.isSaved()).toBe(true);
      writer.destroy();
      return { id, noteId };
    };
    // The admin's removal reaches the member note with its override, so the two left sign it.
    const first = await memberNoteWithC();
    await expectStatus(clinic.admin.api.request('DELETE', `/api/sessions/${first.id}/members/${c.id}`, { reason: 'Left the clinic.' }), 204, 'admin removes C');
    for (const p of [clinic.a, clinic.b]) await expectStatus(p.api.post(`/api/sessions/${first.noteId}/sign`), 200, `${p.name} signs`);
    // A removal that followed a therapist's (C's first words were on another process just then: attack, 4 Dec), as it is stored.
    const second = await memberNoteWithC();
    await server.store.commit([
      { kind: 'removeMember', sessionId: second.noteId, accountId: c.id },
      { kind: 'audit', entry: { at: Date.now(), actorId: clinic.a.id, action: 'member_removed', sessionId: second.noteId, detail: { accountId: c.id, followed: second.id } } },
    ]);
    const refused = await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${second.noteId}/sign`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('author_removed');
  });
});
