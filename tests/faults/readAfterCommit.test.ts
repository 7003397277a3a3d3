import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { createSession, type Clinic } from '../helpers/api';
import { failAtCommit } from '../helpers/commitFaults';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { findText } from '../helpers/noteOps';
import { describeWith, Postgres, Redis } from '../helpers/services';
import { proxiedPair } from './proxiedPair';

const auditOf = async (clinic: Clinic, id: string, action: string) =>
  (await clinic.admin.api.get<{ action: string }[]>(`/api/audit?sessionId=${id}&limit=100`)).body.filter((e) => e.action === action);

// Fault attack, 7 Dec: a step stored, then a read for its answer lost with its connection (reset
// just after the COMMIT's answer), answered 503 "could not do this" though the step stood: the lock
// (its check of the note read again), a press of Reveal (whom it waits for, the state shown after),
// attendance saved (the members read again for the answer). Of the same kind, found reading the
// routes: group-member labels saved (the session read again), a member added or taken off (whom to
// tell read before the answer).
describeWith([Postgres, Redis], 'a read after a stored step fails: the answer is the step as stored, on two processes', async () => {
  const { p2, proxy, clinic, on2, stillWell } = await proxiedPair();

  it('the second signature, the lock’s check of the note lost: answered locked, and the copy on the other process reconnects', async () => {
    const id = await createSession(clinic, 'individual');
    expect((await clinic.a.api.post(`/api/sessions/${id}/start`)).status).toBe(200);
    const b = connectClient(p2.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'Client described the week.');
    await expect.poll(() => b.isSaved()).toBe(true);
    expect((await clinic.a.api.post(`/api/sessions/${id}/end`)).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${id}/sign`)).status).toBe(200);

    // The lock's check reads the note (its snapshot and log) just after the COMMIT.
    const cut = failAtCommit(proxy, '"locked":true', { at: /doc_snapshots/ });
    const signed = await clinic.b.api.post(`/api/sessions/${id}/sign`);
    expect(cut.hit()).toBe(true);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', locked: true, waitingFor: [] });
    await expect.poll(() => b.closes.map((c) => c.code)).toContain(CloseCode.AccessChanged);
    expect((await on2(clinic.b).get<{ status: string }>(`/api/sessions/${id}`)).body.status).toBe('signed');
    await stillWell();
    // Checked again on a timer: the note is the one signed, so the lock stands.
    await expect.poll(async () => (await on2(clinic.b).get<{ matches: boolean }>(`/api/sessions/${id}/verify`)).body.matches).toBe(true);
    expect(await auditOf(clinic, id, 'session_returned')).toEqual([]);
  }, 60_000);

  it.each([
    ['whom it waits for', /learning_reveal_requests/],
    ['the state shown after it', /learning_blind_settings/],
  ] as const)('the press of Reveal that reveals, the read of %s lost: the observation reaches the other process', async (what, read) => {
    const id = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${id}/blind`, { enabled: true })).status).toBe(200);
    const watcher = connectClient(p2.baseUrl, id, clinic.supervisor.api.cookie);
    const b = connectClient(p2.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => watcher.provider.synced && b.provider.synced).toBe(true);
    appendParagraph(b.doc, 'went quiet when his brother spoke');
    await expect.poll(() => b.isSaved()).toBe(true);
    expect((await clinic.a.api.post(`/api/sessions/${id}/start`)).status).toBe(200);
    const { text, index } = findText(watcher.doc, 'went quiet');
    const at = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index + 10, -1))).toString('base64');
    const kept = await clinic.b.api.post<{ id: string }>(`/api/sessions/${id}/blind/observations`, { tags: ['affect'], member: null, forCoTherapist: false, anchor: { kind: 'line', at } });
    expect(kept.status).toBe(201);
    expect((await clinic.a.api.post(`/api/sessions/${id}/blind/reveal`)).status).toBe(202);

    // The press stored (whom it waits for is read after it), or the reveal stored (the state after it).
    const cut = failAtCommit(proxy, what === 'whom it waits for' ? 'blind_reveal_requested' : 'blind_revealed', { at: read });
    const pressed = await clinic.b.api.post<{ revealed: boolean; message?: string }>(`/api/sessions/${id}/blind/reveal`);
    expect(cut.hit()).toBe(true);
    if (what === 'whom it waits for') expect(pressed).toMatchObject({ status: 202, body: { revealed: false, message: expect.stringContaining('Your press of Reveal is recorded') } });
    else expect(pressed).toMatchObject({ status: 200, body: { revealed: true } });
    await expect.poll(() => sessionDoc(watcher.doc).observations.get(kept.body.id)?.authorId, { timeout: 15_000 }).toBe(clinic.b.id);
    expect((await on2(clinic.a).get<{ revealedAt: string | null }>(`/api/sessions/${id}/blind`)).body.revealedAt).not.toBeNull();
    expect(await auditOf(clinic, id, 'blind_revealed')).toHaveLength(1);
    await stillWell();
  }, 60_000);

  it('attendance saved, the read of the members it answers with lost: answered with the attendance as saved', async () => {
    const id = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${id}/start`)).status).toBe(200);

    const cut = failAtCommit(proxy, 'attendance_changed', { at: /members_attendance/ });
    const saved = await clinic.a.api.request<{ members: { member: string; attendance: string; recorded: boolean }[] }>('PUT', `/api/sessions/${id}/attendance`, { attendance: { M1: 'late' } });
    expect(cut.hit()).toBe(true);
    const asSaved = [
      { member: 'M1', attendance: 'late', recorded: true, noteSessionId: null, status: null },
      { member: 'M2', attendance: 'present', recorded: false, noteSessionId: null, status: null },
    ];
    expect(saved).toMatchObject({ status: 200, body: { members: asSaved } });
    expect((await on2(clinic.b).get<{ members: unknown[] }>(`/api/sessions/${id}/member-notes`)).body.members).toEqual(asSaved);
    expect(await auditOf(clinic, id, 'attendance_changed')).toHaveLength(1);
    await stillWell();
  }, 60_000);

  it('labels saved, the session read again after it lost: answered with the labels as saved, the other process reads them', async () => {
    const id = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);

    const cut = failAtCommit(proxy, 'group_members_changed', { at: /FROM sessions WHERE id/ });
    const saved = await clinic.a.api.request('PUT', `/api/sessions/${id}/group-members`, { labels: ['M1', 'M2', 'M3'], base: ['M1', 'M2'] });
    expect(cut.hit()).toBe(true);
    expect(saved).toMatchObject({ status: 200, body: { labels: ['M1', 'M2', 'M3'] } });
    expect((await on2(clinic.b).get<{ groupMembers: string[] }>(`/api/sessions/${id}`)).body.groupMembers).toEqual(['M1', 'M2', 'M3']);
    expect(await auditOf(clinic, id, 'group_members_changed')).toHaveLength(2);
    await stillWell();
  }, 60_000);

  it('a member added, then taken off, the read of whom to tell lost each time: answered as done, the other process reads the members', async () => {
    const id = await createSession(clinic);
    const members = async () => (await on2(clinic.b).get<{ members: { userId: string; role: string }[] }>(`/api/sessions/${id}`)).body.members;
    const added = failAtCommit(proxy, 'member_added', { at: /FROM session_members/ });
    const put = await clinic.a.api.post(`/api/sessions/${id}/members`, { userId: clinic.outsider.id, role: 'therapist' });
    // Whom to tell is read as the answer goes out (before, 7 Dec: before it, and its loss answered 503).
    await expect.poll(() => added.hit()).toBe(true);
    expect(put).toMatchObject({ status: 201, body: { userId: clinic.outsider.id, role: 'therapist' } });
    expect(await members()).toContainEqual(expect.objectContaining({ userId: clinic.outsider.id, role: 'therapist' }));
    expect((await auditOf(clinic, id, 'member_added')).length).toBe(3);

    const removed = failAtCommit(proxy, 'member_removed', { at: /FROM session_members/ });
    const taken = await clinic.a.api.request('DELETE', `/api/sessions/${id}/members/${clinic.outsider.id}`);
    await expect.poll(() => removed.hit()).toBe(true);
    expect(taken.status).toBe(204);
    expect((await members()).map((m) => m.userId)).not.toContain(clinic.outsider.id);
    expect(await auditOf(clinic, id, 'member_removed')).toHaveLength(1);
    await stillWell();
  }, 60_000);
});
