import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AuditEntryView } from '../../shared/domain/audit';
import type { AccountSessionView, SessionView } from '../../shared/domain/session';
import { createPerson, createSession, expectStatus, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';
import { metricValue } from '../helpers/metrics';
import { refuseWrites } from '../helpers/refuseWrites';

type ErrorBody = { error: { code: string; message: string } };

describe('membership rules around signing', async () => {
  const { server, clinic } = await startClinic();

  /** A session in which therapist B has written a line. */
  async function coWrittenSession(c: Clinic): Promise<string> {
    const sessionId = await createSession(c);
    const b = connectClient(server.baseUrl, sessionId, c.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'Blair: M1 left early.');
    await expect.poll(() => b.isSaved()).toBe(true);
    b.destroy();
    return sessionId;
  }

  const memberIds = async (sessionId: string) => (await clinic.a.api.get<SessionView>(`/api/sessions/${sessionId}`)).body.members.map((m) => m.userId);
  const sign = (api: typeof clinic.a.api, sessionId: string, step: string) => api.post(`/api/sessions/${sessionId}/${step}`);

  it('keeps a therapist who has written in the note a member until it is signed', async () => {
    const sessionId = await coWrittenSession(clinic);
    const res = await clinic.a.api.delete<ErrorBody>(`/api/sessions/${sessionId}/members/${clinic.b.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('author_member');
    expect(await memberIds(sessionId)).toContain(clinic.b.id);
    // A therapist added by mistake, who wrote nothing, can still be removed.
    const extra = await createPerson(clinic.admin.api, 'clinician', 'Mistaken Member');
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: extra.id, role: 'therapist' })).status).toBe(201);
    // The session says so, in the refusal's own words, so the page offers Remove only where it works.
    const notRemovable = new Map((await clinic.a.api.get<SessionView>(`/api/sessions/${sessionId}`)).body.members.map((m) => [m.userId, m.notRemovable]));
    expect(notRemovable.get(clinic.b.id)).toBe(res.body.error.message);
    expect(notRemovable.get(extra.id)).toBeNull();
    expect(notRemovable.get(clinic.supervisor.id)).toBeNull();
    // Only therapists may remove, so only they are told: it would tell a supervisor who has written.
    const asSupervisor = (await clinic.supervisor.api.get<SessionView>(`/api/sessions/${sessionId}`)).body.members;
    expect(asSupervisor.every((m) => m.notRemovable === null)).toBe(true);
    expect((await clinic.a.api.delete(`/api/sessions/${sessionId}/members/${extra.id}`)).status).toBe(204);
  });

  it('keeps a therapist whose first words are still on their way to storage (the store is slow or refusing)', async () => {
    const sessionId = await createSession(clinic);
    const c = await createPerson(clinic.admin.api, 'clinician', 'Cam Cotherapist');
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: c.id, role: 'therapist' }), 201, 'add C');
    const failedBefore = await metricValue(server.baseUrl, 'tandem_store_writes_failed_total');
    const restore = refuseWrites(server.dataDir, ['note'], `NEW.account_id = '${c.id}'`);
    const writer = connectClient(server.baseUrl, sessionId, c.api.cookie);
    await expect.poll(() => writer.provider.synced).toBe(true);
    appendParagraph(writer.doc, 'Cam: the couple agreed to a time-out signal.');
    await expect.poll(() => metricValue(server.baseUrl, 'tandem_store_writes_failed_total')).toBeGreaterThan(failedBefore);
    const res = await clinic.a.api.delete<ErrorBody>(`/api/sessions/${sessionId}/members/${c.id}`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('author_member');
    restore();
    await expect.poll(() => writer.isSaved()).toBe(true);
    expect(await memberIds(sessionId)).toContain(c.id);
    writer.destroy();
  });

  // Attack (4 Dec): signing said "ask an admin to remove them", but they were no member any more:
  // the admin's removal answered 404 (and re-adding a deactivated account 400), so it stayed unsigned.
  it('lets an admin take off, with a reason, a co-author whose words landed after a removal, also once deactivated; then the note signs', async () => {
    const sessionId = await createSession(clinic);
    const c = await createPerson(clinic.admin.api, 'clinician', 'Cleo Cotherapist');
    await expectStatus(clinic.a.api.post(`/api/sessions/${sessionId}/members`, { userId: c.id, role: 'therapist' }), 201, 'add C');
    await expectStatus(clinic.a.api.delete(`/api/sessions/${sessionId}/members/${c.id}`), 204, 'remove C before C wrote');
    // C's words as another process stores them after that removal: a log entry bound to C.
    const words = new Y.Doc();
    appendParagraph(words, 'Cleo: landed after the removal.');
    await server.store.docs.append(sessionId, [{ at: Date.now(), accountId: c.id, data: Y.encodeStateAsUpdate(words), bindings: [[words.clientID, c.id]] }]);
    for (const step of ['start', 'end']) expect((await sign(clinic.a.api, sessionId, step)).status, step).toBe(200);
    const refused = await clinic.a.api.post<ErrorBody>(`/api/sessions/${sessionId}/sign`);
    expect([refused.status, refused.body.error.code]).toEqual([409, 'author_removed']);
    await expectStatus(clinic.admin.api.request('PATCH', `/api/users/${c.id}`, { active: false }), 200, 'deactivate C');
    const reason = 'Left the clinic; her late lines stay in the note as written.';
    expect((await clinic.admin.api.request('DELETE', `/api/sessions/${sessionId}/members/${c.id}`, { reason })).status).toBe(204);
    const audit = (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=100`)).body;
    expect(audit.filter((e) => e.action === 'member_removed').map((e) => e.detail)).toEqual(expect.arrayContaining([expect.objectContaining({ accountId: c.id, override: true, reason, alreadyRemoved: true })]));
    expect((await sign(clinic.a.api, sessionId, 'sign')).status).toBe(200);
    expect((await clinic.b.api.post<{ locked: boolean }>(`/api/sessions/${sessionId}/sign`)).body).toMatchObject({ locked: true });
  });

  it('cannot drop the co-author to sign alone, and freezes membership once the note is locked', async () => {
    const sessionId = await coWrittenSession(clinic);
    expect((await clinic.a.api.delete(`/api/sessions/${sessionId}/members/${clinic.b.id}`)).status).toBe(409);
    for (const step of ['start', 'end', 'sign']) expect((await sign(clinic.a.api, sessionId, step)).status, step).toBe(200);
    expect((await sign(clinic.b.api, sessionId, 'sign')).status).toBe(200);

    const removeSupervisor = await clinic.a.api.delete<ErrorBody>(`/api/sessions/${sessionId}/members/${clinic.supervisor.id}`);
    expect(removeSupervisor.status).toBe(409);
    expect(removeSupervisor.body.error.code).toBe('membership_frozen');
    const addReader = await clinic.a.api.post<ErrorBody>(`/api/sessions/${sessionId}/members`, { userId: clinic.outsider.id, role: 'therapist' });
    expect(addReader.status).toBe(409);
    expect(addReader.body.error.code).toBe('membership_frozen');
    expect((await clinic.b.api.delete(`/api/sessions/${sessionId}/members/${clinic.a.id}`)).status).toBe(409);
    expect((await memberIds(sessionId)).sort()).toEqual([clinic.a.id, clinic.b.id, clinic.supervisor.id].sort());
    expect((await sign(clinic.supervisor.api, sessionId, 'cosign')).status).toBe(200);
  });

  it('lets an admin change the members of a locked note, only with a reason, and audits the reason', async () => {
    const sessionId = await coWrittenSession(clinic);
    for (const [api, step] of [[clinic.a.api, 'start'], [clinic.a.api, 'end'], [clinic.a.api, 'sign'], [clinic.b.api, 'sign']] as const) {
      expect((await sign(api, sessionId, step)).status).toBe(200);
    }
    const admin = clinic.admin.api;
    const path = `/api/sessions/${sessionId}/members/${clinic.supervisor.id}`;
    const noReason = await admin.delete<ErrorBody>(path);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('reason_required');
    const reason = 'Supervisor on long leave; reassigned by the clinical director.';
    expect((await admin.request('DELETE', path, { reason })).status).toBe(204);
    const replacement = await createPerson(admin, 'supervisor', 'Riley Replacement');
    expect((await admin.post(`/api/sessions/${sessionId}/members`, { userId: replacement.id, role: 'supervisor', reason })).status).toBe(201);
    expect((await admin.request('DELETE', `/api/sessions/${sessionId}/members/${clinic.a.id}`, { reason })).status).toBe(204);
    const lastTherapist = await admin.request<ErrorBody>('DELETE', `/api/sessions/${sessionId}/members/${clinic.b.id}`, { reason });
    expect(lastTherapist.status).toBe(400);
    expect(lastTherapist.body.error.code).toBe('last_therapist');

    const entries = async () =>
      (await admin.get<AuditEntryView[]>(`/api/audit?limit=1000&sessionId=${sessionId}`)).body.filter((e) => e.actorId === clinic.admin.id).map((e) => [e.action, e.detail]).reverse();
    await expect.poll(entries).toEqual([
      ['member_removed', { accountId: clinic.supervisor.id, override: true, reason }],
      ['member_added', { accountId: replacement.id, role: 'supervisor', override: true, reason }],
      ['member_removed', { accountId: clinic.a.id, override: true, reason }],
    ]);
  });
  it('shows the admin the sessions a clinician is a member of, so one who left can be taken off them with a reason', async () => {
    const admin = clinic.admin.api;
    const leaver = await createPerson(admin, 'clinician', 'Lee Leaving');
    const shared = await expectStatus(leaver.api.post<{ id: string }>('/api/sessions', { title: 'Thursday couple', kind: 'couple' }), 201, 'create');
    await expectStatus(leaver.api.post(`/api/sessions/${shared.id}/members`, { userId: clinic.a.id, role: 'therapist' }), 201, 'add A');
    // Lee has written, so A (a therapist) may not remove Lee; the admin may.
    const lee = connectClient(server.baseUrl, shared.id, leaver.api.cookie);
    await expect.poll(() => lee.provider.synced).toBe(true);
    appendParagraph(lee.doc, 'Lee: both partners arrived late.');
    await expect.poll(() => lee.isSaved()).toBe(true);
    await expectStatus(leaver.api.post(`/api/sessions/${shared.id}/process-note`, {}), 201, 'process notes');
    const alone = await expectStatus(leaver.api.post<{ id: string }>('/api/sessions', { title: 'Lee alone', kind: 'individual' }), 201, 'create');
    const supervised = await createSession(clinic);
    await expectStatus(clinic.a.api.post(`/api/sessions/${supervised}/members`, { userId: leaver.id, role: 'therapist' }), 201, 'add Lee');

    const listed = async () => (await expectStatus(admin.get<AccountSessionView[]>(`/api/users/${leaver.id}/sessions`), 200, 'list')).map((s) => [s.id, s.title, s.role, s.notRemovable]);
    // Process notes follow their session: they are not listed apart.
    expect((await listed()).sort()).toEqual([
      [shared.id, 'Thursday couple', 'therapist', null],
      [alone.id, 'Lee alone', 'therapist', 'A session needs at least one therapist.'],
      [supervised, 'Tuesday group', 'therapist', null],
    ].sort());
    expect((await clinic.a.api.delete<ErrorBody>(`/api/sessions/${shared.id}/members/${leaver.id}`)).body.error.code).toBe('author_member');
    // Only the admin reads it, and an unknown account is named as such.
    expect((await clinic.a.api.get(`/api/users/${leaver.id}/sessions`)).status).toBe(403);
    expect((await clinic.supervisor.api.get(`/api/users/${leaver.id}/sessions`)).status).toBe(403);
    expect((await admin.get(`/api/users/${crypto.randomUUID()}/sessions`)).status).toBe(404);

    expect((await admin.request('DELETE', `/api/sessions/${shared.id}/members/${leaver.id}`, { reason: 'Left the clinic.' })).status).toBe(204);
    await expect.poll(() => lee.closes.map((c) => c.code)).toContain(4403);
    expect((await listed()).map(([id]) => id).sort()).toEqual([alone.id, supervised].sort());
    // What Lee wrote stays in the note.
    expect((await clinic.a.api.get<string>(`/api/sessions/${shared.id}/export.md`)).body).toContain('both partners arrived late');
    lee.destroy();
  });
});
