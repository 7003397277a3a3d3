import { describe, expect, it } from 'vitest';
import type { ProcessNoteView } from '../../shared/domain/processNote';
import { createPerson, expectStatus, type Person } from '../helpers/api';
import { upgradeStatus } from '../helpers/rawSocket';
import { startClinic } from '../helpers/clinic';
import { processNotesWithWords } from '../helpers/processNotes';

const WORDS = 'PROCESS: B felt shut out by the family';

// Attack, 6 Dec: process notes are "for the two therapists only", yet they followed the session's
// membership: a third therapist one of them added read and wrote the pair's notes (200, 101), and a
// supervisor added after the sharing read them at once, with neither therapist asked.
describe('process notes belong to the therapists who keep them, not to whoever joins the session', async () => {
  const { server, clinic } = await startClinic();
  const headers = (p: Person) => ({ cookie: p.api.cookie!, origin: server.baseUrl });
  const add = (id: string, p: Person, role: 'therapist' | 'supervisor') => expectStatus(clinic.a.api.post(`/api/sessions/${id}/members`, { userId: p.id, role }), 201, `add ${p.name}`);
  const withWords = () => processNotesWithWords(server.baseUrl, clinic, WORDS);
  /** Everything `p` could do with the process notes of `id`, as status codes. */
  const reach = async (id: string, pid: string, p: Person) => ({
    get: (await p.api.get(`/api/sessions/${id}/process-note`)).body,
    socket: await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(p)),
    retention: (await p.api.request('PUT', `/api/sessions/${id}/process-note/retention`, { retainDays: 1 })).status,
    share: (await p.api.post(`/api/sessions/${id}/process-note/share`)).status,
    remove: (await p.api.delete(`/api/sessions/${id}/process-note`)).status,
  });
  const none = { get: null, socket: 403, retention: 404, share: 404, remove: 404 };

  it('gives a therapist added to the session after the notes were made nothing of them: not read, written, re-timed, shared or removed', async () => {
    const { id, pid } = await withWords();
    await add(id, clinic.outsider, 'therapist');
    expect(await reach(id, pid, clinic.outsider)).toEqual(none);
    // Asking to make them does not hand them over either: a clear refusal, nothing made.
    const made = await clinic.outsider.api.post<{ error: { code: string } }>(`/api/sessions/${id}/process-note`, {});
    expect([made.status, made.body.error.code]).toEqual([409, 'process_note_kept']);
    // The keepers' notes are as they were, B's words in them, and the keepers still hold them.
    const view = await expectStatus(clinic.a.api.get<ProcessNoteView>(`/api/sessions/${id}/process-note`), 200, 'A reads');
    expect([view.processSessionId, view.retainDays]).toEqual([pid, null]);
    expect((await server.store.sessions.members(pid)).map((m) => m.accountId).sort()).toEqual([clinic.a.id, clinic.b.id].sort());
  });

  it('gives a therapist who wrote in them, removed and added back, their notes again; one who never kept them, never', async () => {
    const { id, pid } = await withWords();
    expect((await clinic.a.api.delete(`/api/sessions/${id}/members/${clinic.b.id}`)).status).toBe(204);
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.b))).toBe(403);
    await add(id, clinic.b, 'therapist');
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.b))).toBe(101);
    const late = await createPerson(clinic.admin.api, 'clinician', 'Lee Latecomer');
    await add(id, late, 'therapist');
    expect(await reach(id, pid, late)).toEqual(none);
  });

  it('lets a supervisor added after the sharing read them only once both keepers share them again', async () => {
    const { id, pid } = await withWords();
    await expectStatus(clinic.a.api.post(`/api/sessions/${id}/process-note/share`), 200, 'A asks');
    await expectStatus(clinic.b.api.post(`/api/sessions/${id}/process-note/share`), 200, 'B agrees');
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(clinic.supervisor))).toBe(101);
    const second = await createPerson(clinic.admin.api, 'supervisor', 'Sid Second');
    await add(id, second, 'supervisor');
    expect((await second.api.get(`/api/sessions/${id}/process-note`)).body).toBeNull();
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(second))).toBe(403);
    // The keepers' page offers sharing with the newcomer.
    expect((await clinic.a.api.get<ProcessNoteView>(`/api/sessions/${id}/process-note`)).body.unsharedSupervisors).toBe(1);
    // A's press asks B (shown to both), and shares nothing yet.
    const asked = await expectStatus(clinic.a.api.post<ProcessNoteView>(`/api/sessions/${id}/process-note/share`), 200, 'A asks again');
    expect(asked.shareAsked).toMatchObject({ byMe: true });
    expect((await clinic.b.api.get<ProcessNoteView>(`/api/sessions/${id}/process-note`)).body.shareAsked).toMatchObject({ byMe: false, byName: clinic.a.name });
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(second))).toBe(403);
    const shared = await expectStatus(clinic.b.api.post<ProcessNoteView>(`/api/sessions/${id}/process-note/share`), 200, 'B agrees again');
    expect([shared.shareAsked, shared.unsharedSupervisors]).toEqual([null, 0]);
    expect(await upgradeStatus(server.baseUrl, `/sync/${pid}`, headers(second))).toBe(101);
    const audit = (await clinic.admin.api.get<{ action: string }[]>(`/api/audit?sessionId=${id}`)).body.map((e) => e.action).filter((a) => a.startsWith('process_note_share'));
    expect(audit.sort()).toEqual(['process_note_share_asked', 'process_note_share_asked', 'process_note_shared', 'process_note_shared']);
  });
});
