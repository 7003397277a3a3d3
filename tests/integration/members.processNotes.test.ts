import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { expireProcessNotes } from '../../server/members/processNotes';
import type { ProcessNoteView as ProcessView } from '../../shared/domain/processNote';
import { expectStatus } from '../helpers/api';
import { appendParagraph, connectClient, liveGroupWithLine } from '../helpers/connectClient';
import { readState, roundTrip } from '../helpers/craft';
import { openRaw, updateFrame, upgradeStatus } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';
import { REMOVED_PROCESS_NOTES } from '../helpers/processNotes';

const SECRET = 'PROCESS-ONLY: my irritation at the lateness';


describe('process notes: the therapists’ own layer, apart from the record', async () => {
  const { server, clinic } = await startClinic();
  const headers = (cookie: string | null) => ({ cookie: cookie!, origin: server.baseUrl });

  /** A group session with a line in its note, and process notes A wrote in. */
  async function withProcessNotes(retainDays: number | null = null) {
    const { id, a: note } = await liveGroupWithLine(server.baseUrl, clinic, 'M1 and M2 arrived late.');
    const created = await clinic.a.api.post<ProcessView>(`/api/sessions/${id}/process-note`, { retainDays });
    expect(created.status).toBe(201);
    const pid = created.body.processSessionId;
    const digestBefore = (await clinic.a.api.get<{ digest: string }>(`/api/sessions/${id}/verify`)).body.digest;
    const process = connectClient(server.baseUrl, pid, clinic.b.api.cookie);
    await expect.poll(() => process.provider.synced).toBe(true);
    appendParagraph(process.doc, SECRET);
    await expect.poll(() => process.isSaved()).toBe(true);
    return { id, pid, note, process, digestBefore };
  }

  it('keeps the supervisor out until a therapist shares them, over HTTP and a raw websocket; then read-only, every opening audited for the authors', async () => {
    const { id, pid } = await withProcessNotes();
    // Not shared yet: the same answer as none at all.
    expect((await clinic.supervisor.api.get(`/api/sessions/${id}/process-note`)).body).toBeNull();
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.supervisor.api.cookie))).toBe(403);
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.outsider.api.cookie))).toBe(403);
    expect((await clinic.supervisor.api.get(`/api/sessions/${pid}`)).status).toBe(403);
    // A raw socket is refused before a byte of the document: nothing to read, nowhere to write.
    await expect(openRaw(server.baseUrl, pid, headers(clinic.supervisor.api.cookie))).rejects.toMatchObject({ status: 403 });
    expect((await clinic.supervisor.api.post(`/api/sessions/${id}/process-note/share`)).status).toBe(403);
    // The refused attempts to open them are in the audit log (ids and ways only); asking whether
    // there are any, as every session page does, is not one.
    const refusals = (await clinic.admin.api.get<{ action: string; actorId: string; detail: { way: string } }[]>(`/api/audit?sessionId=${id}`)).body.filter((e) => e.action === 'process_note_refused');
    expect(refusals.filter((e) => e.actorId === clinic.supervisor.id).map((e) => e.detail.way).sort()).toEqual(['live', 'live']);
    // Its members cannot be changed around the sharing rule.
    expect((await clinic.a.api.post(`/api/sessions/${pid}/members`, { userId: clinic.supervisor.id, role: 'supervisor' })).status).toBe(404);

    // They are both therapists' notes: B's press asks A, and only A's agreement shares them (walk, 4 Dec).
    const asked = await expectStatus(clinic.b.api.post<ProcessView>(`/api/sessions/${id}/process-note/share`), 200, 'B asks');
    expect(asked).toMatchObject({ sharedAt: null, shareAsked: { byName: clinic.b.name, byMe: true } });
    expect((await clinic.b.api.post<ProcessView>(`/api/sessions/${id}/process-note/share`)).body).toMatchObject({ sharedAt: null });
    expect((await clinic.a.api.get<ProcessView>(`/api/sessions/${id}/process-note`)).body.shareAsked).toMatchObject({ byName: clinic.b.name, byMe: false });
    expect((await clinic.supervisor.api.get(`/api/sessions/${id}/process-note`)).body).toBeNull();
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.supervisor.api.cookie))).toBe(403);
    const shared = await expectStatus(clinic.a.api.post<ProcessView>(`/api/sessions/${id}/process-note/share`), 200, 'A agrees');
    expect(shared).toMatchObject({ sharedBy: clinic.a.name, shareAsked: null });
    expect(shared.sharedAt).not.toBeNull();
    const steps = (await clinic.admin.api.get<{ action: string; actorId: string }[]>(`/api/audit?sessionId=${id}`)).body.filter((e) => e.action.startsWith('process_note_share'));
    expect(steps.map((e) => [e.action, e.actorId]).reverse()).toEqual([['process_note_share_asked', clinic.b.id], ['process_note_shared', clinic.a.id]]);
    expect((await clinic.supervisor.api.get<ProcessView>(`/api/sessions/${id}/process-note`)).body.processSessionId).toBe(pid);
    const raw = await openRaw(server.baseUrl, pid, headers(clinic.supervisor.api.cookie));
    await expect.poll(() => raw.notices.find((n) => n.type === 'access')).toMatchObject({ canWrite: false, role: 'supervisor' });
    const state = await roundTrip(raw);
    expect(JSON.stringify(readState(state).doc.getXmlFragment('note').toJSON())).toContain(SECRET);
    const forged = new Y.Doc();
    appendParagraph(forged, 'SUPERVISOR WAS HERE');
    raw.ws.send(updateFrame(Y.encodeStateAsUpdate(forged)));
    await expect.poll(() => raw.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'read_only' });
    expect(JSON.stringify(readState(await roundTrip(raw)).doc.getXmlFragment('note').toJSON())).not.toContain('SUPERVISOR');
    raw.ws.close();
    // The authors see who opened their process notes.
    await expect.poll(async () => (await clinic.a.api.get<{ accountId: string; ways: string[] }[]>(`/api/sessions/${pid}/access`)).body.find((r) => r.accountId === clinic.supervisor.id)?.ways).toEqual(['live']);
  });

  it('is in none of the record’s routes, exports, digest or member notes, and its own session answers no record route', async () => {
    const { id, pid, process, digestBefore } = await withProcessNotes();
    process.destroy();
    expect((await clinic.a.api.get<{ digest: string }>(`/api/sessions/${id}/verify`)).body.digest).toBe(digestBefore);
    for (const path of ['review', 'export.md', 'timeline', `replay?at=${Date.now()}`, 'comments']) {
      const res = await clinic.a.api.get(`/api/sessions/${id}/${path}`);
      expect(res.status, path).toBe(200);
      expect(JSON.stringify(res.body), path).not.toContain('PROCESS-ONLY');
    }
    for (const path of ['review', 'export.md', 'export.pdf', 'timeline', 'verify', 'comments']) expect((await clinic.a.api.get(`/api/sessions/${pid}/${path}`)).status, path).toBe(404);
    expect((await clinic.a.api.post(`/api/sessions/${pid}/sign`)).status).toBe(404);
    expect((await clinic.a.api.get<{ id: string }[]>('/api/sessions')).body.map((s) => s.id)).not.toContain(pid);

    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/end`), 200, 'end');
    const { members } = await expectStatus(clinic.a.api.get<{ members: { noteSessionId: string }[] }>(`/api/sessions/${id}/member-notes`), 200, 'member notes');
    expect(members).toHaveLength(2);
    for (const m of members) expect((await clinic.a.api.get<string>(`/api/sessions/${m.noteSessionId}/export.md`)).body).not.toContain('PROCESS-ONLY');
    // A member note is one member's record: the pair's process notes are the group session's (walk,
    // 6 Dec: a member note offered "Start process notes", and its press made a second set).
    const refused = await clinic.a.api.post<{ error: { code: string } }>(`/api/sessions/${members[0]!.noteSessionId}/process-note`, {});
    expect([refused.status, refused.body.error.code]).toEqual([409, 'member_note']);
  });

  it('is removed by a therapist or by its retention setting, without touching the record', async () => {
    const { id, pid, process, digestBefore } = await withProcessNotes(30);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${id}/process-note/retention`, { retainDays: 0 })).status).toBe(400);
    // Keeping B's words for less time takes B too (processNoteConsent.test.ts): A asks, B agrees.
    await expectStatus(clinic.a.api.request<ProcessView>('PUT', `/api/sessions/${id}/process-note/retention`, { retainDays: 1 }), 200, 'A asks');
    const view = await expectStatus(clinic.b.api.request<ProcessView>('PUT', `/api/sessions/${id}/process-note/retention`, { retainDays: 1 }), 200, 'B agrees');
    expect(view.retainDays).toBe(1);
    expect(await expireProcessNotes(server, Date.now())).toEqual({ removed: 0, failed: 0 });
    expect(await expireProcessNotes(server, Date.parse(view.removesAt!))).toEqual({ removed: 1, failed: 0 });
    await expect.poll(() => process.closes.map((c) => c.code)).toContain(4403);
    // The therapists' page is told they were removed (it offered "Start" again, and its press answered 409: walk, 6 Dec); the supervisor is told nothing.
    expect((await clinic.a.api.get(`/api/sessions/${id}/process-note`)).body).toEqual(REMOVED_PROCESS_NOTES);
    expect((await clinic.supervisor.api.get(`/api/sessions/${id}/process-note`)).body).toBeNull();
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.a.api.cookie))).toBe(403);
    const stored = await server.store.docs.load(pid);
    expect([stored.snapshot, stored.tail]).toEqual([null, []]);
    expect((await clinic.a.api.get<{ digest: string }>(`/api/sessions/${id}/verify`)).body.digest).toBe(digestBefore);
    expect((await clinic.a.api.get<string>(`/api/sessions/${id}/export.md`)).body).toContain('M1 and M2 arrived late.');

    // The therapists remove another session's process notes (B asks, A agrees); they cannot be made again.
    const second = await withProcessNotes();
    expect((await clinic.supervisor.api.delete(`/api/sessions/${second.id}/process-note`)).status).toBe(403);
    expect((await clinic.b.api.delete(`/api/sessions/${second.id}/process-note`)).status).toBe(202);
    expect((await clinic.a.api.delete(`/api/sessions/${second.id}/process-note`)).status).toBe(204);
    expect((await clinic.a.api.post(`/api/sessions/${second.id}/process-note`)).status).toBe(409);
    const audit = (await clinic.admin.api.get<{ action: string; detail: Record<string, unknown> }[]>(`/api/audit?sessionId=${second.id}`)).body;
    expect(audit.filter((e) => e.action.startsWith('process_note')).map((e) => e.action).sort()).toEqual(['process_note_created', 'process_note_removal_asked', 'process_note_removed']);
  });
});
