import { describe, expect, it } from 'vitest';
import type { AuditEntryView, NoteAccessView } from '../../shared/domain/audit';
import type { ReviewView } from '../../shared/domain/review';
import { ApiClient, createSession, expectStatus, type Clinic } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';

const SECRET = 'PANGOLIN-CONFIDENTIAL';

/** The session's audit entries, as the admin reads them. */
async function auditOf(clinic: Clinic, sessionId: string): Promise<AuditEntryView[]> {
  return (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?limit=1000&sessionId=${sessionId}`)).body;
}

describe('reading a note is audited, and its therapists see who read it', async () => {
  const { server, clinic } = await startClinic();

  /** A session whose note holds a confidential line written by therapist A. */
  async function noteWithContent(): Promise<string> {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, SECRET);
    await expect.poll(() => a.isSaved()).toBe(true);
    a.destroy();
    return sessionId;
  }

  it('records every HTTP read of note content with who, when and how, and never the content', async () => {
    const sessionId = await noteWithContent();
    const before = Date.now();
    const sup = clinic.supervisor.api;
    // `review?page=note`: the note's own page reading its signatures (walk, 4 Dec: audited as "review").
    for (const path of ['review', 'review?page=note', `replay?at=${Date.now()}`, 'timeline', 'comments', 'export.md']) {
      expect((await sup.get(`/api/sessions/${sessionId}/${path}`)).status, path).toBe(200);
    }
    expect((await sup.get(`/api/sessions/${sessionId}/review?page=other`)).status).toBe(400);
    const reads = async () =>
      (await auditOf(clinic, sessionId))
        .filter((e) => e.actorId === clinic.supervisor.id && (e.action === 'note_read' || e.action === 'export'))
        .map((e) => (e.action === 'export' ? 'export' : String(e.detail.way)));
    await expect.poll(async () => (await reads()).sort()).toEqual(['comments', 'export', 'record', 'replay', 'review', 'timeline']);
    const entries = (await auditOf(clinic, sessionId)).filter((e) => e.action === 'note_read');
    for (const e of entries) expect(Date.parse(e.at)).toBeGreaterThanOrEqual(before - 1000);
    expect(JSON.stringify(await auditOf(clinic, sessionId))).not.toContain(SECRET);
  });

  it('lists for the session’s members who has read the note, how and when, including live openings', async () => {
    const sessionId = await noteWithContent();
    await clinic.supervisor.api.get(`/api/sessions/${sessionId}/review`);
    await clinic.supervisor.api.get(`/api/sessions/${sessionId}/export.md`);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => b.provider.synced).toBe(true);
    b.destroy();

    const access = async () => (await clinic.a.api.get<NoteAccessView[]>(`/api/sessions/${sessionId}/access`)).body;
    await expect.poll(async () => (await access()).find((r) => r.accountId === clinic.b.id)?.ways).toEqual(['live']);
    const list = await access();
    expect(list.find((r) => r.accountId === clinic.supervisor.id)).toMatchObject({
      name: clinic.supervisor.name, role: 'supervisor', reads: 2, ways: ['export', 'review'],
    });
    expect(list.find((r) => r.accountId === clinic.a.id)).toMatchObject({ role: 'therapist', ways: ['live'] });
    expect(list.some((r) => r.accountId === clinic.outsider.id || r.accountId === clinic.admin.id)).toBe(false);
    const sup = list.find((r) => r.accountId === clinic.supervisor.id)!;
    expect(Date.parse(sup.lastAt)).toBeGreaterThanOrEqual(Date.parse(sup.firstAt));
    // The supervisor, a member too, may see the list; a non-member may not.
    expect((await clinic.supervisor.api.get(`/api/sessions/${sessionId}/access`)).status).toBe(200);
    expect((await clinic.outsider.api.get(`/api/sessions/${sessionId}/access`)).status).toBe(403);
  });

  it('keeps a removed reader on the list, without a role', async () => {
    const sessionId = await createSession(clinic);
    await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`);
    expect((await clinic.a.api.delete(`/api/sessions/${sessionId}/members/${clinic.supervisor.id}`)).status).toBe(204);
    await expect.poll(async () => (await clinic.a.api.get<NoteAccessView[]>(`/api/sessions/${sessionId}/access`)).body.find((r) => r.accountId === clinic.supervisor.id))
      .toMatchObject({ role: null, ways: ['review'] });
  });
});

describe('a page that reads a note again and again is one read in the audit log', async () => {
  // As in production: reads within a minute of the last recorded one are the same read.
  const { clinic } = await startClinic({ env: { TANDEM_VISIT_GAP_MS: '60000' } });

  it('records repeats of one login as one read, each export, each other way or moment, and each other login', async () => {
    const sessionId = await createSession(clinic);
    const sup = clinic.supervisor.api;
    const read = async (api: ApiClient, path: string) => expectStatus(api.get(`/api/sessions/${sessionId}/${path}`), 200, path);
    // A page's polls: the record while signatures are awaited, comments while reviewing.
    for (let i = 0; i < 4; i++) {
      await read(sup, 'review');
      await read(sup, 'comments');
    }
    await read(sup, 'replay?at=1000');
    await read(sup, 'replay?at=1000');
    await read(sup, 'replay?at=2000');
    await read(sup, 'export.md');
    await read(sup, 'export.md');
    // The same supervisor signed in on a second device: another login, another read.
    const other = new ApiClient(sup.baseUrl);
    await expectStatus(other.post('/api/auth/login', { email: clinic.supervisor.email, password: clinic.supervisor.password }), 200, 'second login');
    await read(other, 'review');

    const rows = (await auditOf(clinic, sessionId))
      .filter((e) => e.actorId === clinic.supervisor.id && (e.action === 'note_read' || e.action === 'export'))
      .map((e) => (e.action === 'export' ? 'export' : `${String(e.detail.way)}${e.detail.at === undefined ? '' : `@${String(e.detail.at)}`}`));
    expect(rows.sort()).toEqual(['comments', 'export', 'export', 'replay@1000', 'replay@2000', 'review', 'review']);
  });
});

describe('changes to comments and group labels are audited', async () => {
  const { server, clinic } = await startClinic();

  it('records comment edits and deletions, also after co-signing, with the session’s status', async () => {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'a passage to discuss');
    await expect.poll(() => a.isSaved()).toBe(true);
    a.destroy();
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
    const run = review.blocks.flatMap((b) => b.runs).find((r) => r.text === 'a passage to discuss')!;
    const anchor = { type: 'passage', start: { client: run.client, clock: run.clock }, end: { client: run.client, clock: run.clock + 8 }, quote: 'a passage' };
    const sup = clinic.supervisor.api;
    const { id: commentId } = (await sup.post<{ id: string }>(`/api/sessions/${sessionId}/comments`, { anchor, body: 'Say more.' })).body;
    expect((await sup.patch(`/api/sessions/${sessionId}/comments/${commentId}`, { body: 'Say more, please.' })).status).toBe(200);
    for (const [api, step] of [[clinic.a.api, 'start'], [clinic.a.api, 'end'], [clinic.a.api, 'sign'], [clinic.b.api, 'sign'], [sup, 'cosign']] as const) {
      expect((await api.post(`/api/sessions/${sessionId}/${step}`)).status, step).toBe(200);
    }
    expect((await sup.patch(`/api/sessions/${sessionId}/comments/${commentId}`, { body: 'Rewritten after co-signing.' })).status).toBe(200);
    expect((await sup.delete(`/api/sessions/${sessionId}/comments/${commentId}`)).status).toBe(204);

    const changes = async () =>
      (await auditOf(clinic, sessionId))
        .filter((e) => e.action === 'comment_edited' || e.action === 'comment_deleted')
        .map((e) => ({ action: e.action, actorId: e.actorId, detail: e.detail }))
        .reverse();
    await expect.poll(changes).toEqual([
      { action: 'comment_edited', actorId: clinic.supervisor.id, detail: { commentId, status: 'scheduled' } },
      { action: 'comment_edited', actorId: clinic.supervisor.id, detail: { commentId, status: 'reviewed' } },
      { action: 'comment_deleted', actorId: clinic.supervisor.id, detail: { commentId, status: 'reviewed' } },
    ]);
    expect(JSON.stringify(await auditOf(clinic, sessionId))).not.toContain('Rewritten');
  });

  it('records group-label changes by who and how many, without the labels', async () => {
    const sessionId = await createSession(clinic);
    const put = (labels: string[]) => clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels });
    expect((await put(['QA', 'QB'])).status).toBe(200);
    expect((await put(['QB', 'QC', 'QD'])).status).toBe(200);
    const changes = async () =>
      (await auditOf(clinic, sessionId)).filter((e) => e.action === 'group_members_changed').map((e) => ({ actorId: e.actorId, detail: e.detail })).reverse();
    await expect.poll(changes).toEqual([
      { actorId: clinic.a.id, detail: { count: 2, added: 2, removed: 0 } },
      { actorId: clinic.a.id, detail: { count: 3, added: 2, removed: 1 } },
    ]);
    expect(JSON.stringify(await auditOf(clinic, sessionId))).not.toMatch(/"Q[ABCD]"/);
  });
});
