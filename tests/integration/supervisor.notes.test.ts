import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_SUPERVISION_NOTES } from '../../server/http/routes/supervisor';
import * as Y from 'yjs';
import type { AuditEntryView } from '../../shared/domain/audit';
import type { CompetencyView, SupervisionNoteView } from '../../shared/domain/supervisor';
import { createClinic, expectStatus, type Person } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { step } from '../helpers/desk';
import { tagSpan } from '../helpers/noteOps';
import { startTestServer } from '../helpers/startTestServer';

const SECRET = 'SUPERVISION-ONLY countertransference: I felt protective of M2';
const REFLECTION = 'THERAPIST-REFLECTION I lost the thread after the break';

describe('supervision notes, apart from the record', async () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const server = await startTestServer({ env: { TANDEM_ENCRYPTION_KEY: key } });
  const clinic = await createClinic(server.baseUrl);
  const { a, b, supervisor, outsider, admin } = clinic;

  let id = '';
  let digestBefore = '';
  // A signed note with one observation, written as the editor does (setup: vi.waitFor, as expect.poll runs only in tests).
  beforeAll(async () => {
    id = (await a.api.post<{ id: string }>('/api/sessions', { title: 'Thursday group', kind: 'group' })).body.id;
    await a.api.post(`/api/sessions/${id}/members`, { userId: b.id, role: 'therapist' });
    await a.api.post(`/api/sessions/${id}/members`, { userId: supervisor.id, role: 'supervisor' });
    await step(a.api, id, 'start');
    const writer = connectClient(server.baseUrl, id, a.api.cookie);
    await vi.waitFor(() => expect(writer.provider.synced).toBe(true), { timeout: 60_000 });
    appendParagraph(writer.doc, 'M2 spoke about her father');
    tagSpan(writer.doc, 'her father', { authorId: a.id, tags: ['affect'], member: null });
    await vi.waitFor(() => expect(writer.isSaved()).toBe(true), { timeout: 60_000 });
    writer.destroy();
    await step(a.api, id, 'end');
    await step(a.api, id, 'sign');
    await step(b.api, id, 'sign');
    digestBefore = (await a.api.get<{ digest: string }>(`/api/sessions/${id}/verify`)).body.digest;
  }, 120_000);

  const notes = (p: Person) => p.api.get<SupervisionNoteView[]>(`/api/sessions/${id}/supervision-notes`);
  const write = (p: Person, body: unknown) => p.api.post<SupervisionNoteView & { error?: { code: string; field?: string } }>(`/api/sessions/${id}/supervision-notes`, body);

  it('lets the supervisor and both therapists write and read them, coded from the admin’s codebook', async () => {
    const codebook = (await supervisor.api.get<CompetencyView[]>('/api/competencies')).body;
    expect(codebook.map((c) => c.id)).toEqual(['interventions', 'process-commentary', 'countertransference', 'risk-handling', 'alliance', 'co-therapy']);
    const added = await expectStatus(write(supervisor, { body: SECRET, codes: ['countertransference', 'alliance'], aboutId: a.id }), 201, 'supervisor note');
    expect(added).toMatchObject({ authorId: supervisor.id, authorRole: 'supervisor', aboutId: a.id, aboutName: a.name, body: SECRET, codes: [{ id: 'countertransference', name: 'Countertransference' }, { id: 'alliance', name: 'Alliance' }] });
    await expectStatus(write(b, { body: REFLECTION, codes: ['co-therapy'] }), 201, 'reflection');
    for (const p of [a, b, supervisor]) expect((await notes(p)).body.map((n) => n.body)).toEqual([SECRET, REFLECTION]);
    // Only the supervisor writes about one therapist.
    expect((await write(b, { body: 'About A', aboutId: a.id })).status).toBe(403);
  });

  it(`holds at most ${MAX_SUPERVISION_NOTES} of them in one session, and says so`, async () => {
    const other = (await a.api.post<{ id: string }>('/api/sessions', { title: 'Many notes', kind: 'group' })).body.id;
    await a.api.post(`/api/sessions/${other}/members`, { userId: supervisor.id, role: 'supervisor' });
    const post = () => supervisor.api.post<{ error?: { code: string } }>(`/api/sessions/${other}/supervision-notes`, { body: 'Noted.', codes: [] });
    for (let i = 0; i < MAX_SUPERVISION_NOTES; i++) await expectStatus(post(), 201, `note ${i + 1}`);
    const refused = await post();
    expect([refused.status, refused.body.error?.code]).toEqual([409, 'too_many_notes']);
    expect((await supervisor.api.get<unknown[]>(`/api/sessions/${other}/supervision-notes`)).body).toHaveLength(MAX_SUPERVISION_NOTES);
  });

  it('refuses a code not in the codebook (or retired), an unknown therapist, and strangers, naming the field and storing nothing', async () => {
    const before = (await notes(supervisor)).body.length;
    const unknown = await write(supervisor, { body: 'x', codes: ['alliance', 'telepathy'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_code', field: 'codes.1' });
    const created = await expectStatus(admin.api.post<CompetencyView>('/api/competencies', { name: 'Cultural humility', description: 'Working with difference' }), 201, 'add competency');
    await expectStatus(write(supervisor, { body: 'Good attunement to the family’s language', codes: [created.id] }), 201, 'new code');
    await expectStatus(admin.api.patch(`/api/competencies/${created.id}`, { retired: true }), 200, 'retire');
    expect((await write(supervisor, { body: 'x', codes: [created.id] })).body.error?.field).toBe('codes.0');
    expect((await write(supervisor, { body: 'x', aboutId: outsider.id })).body.error?.field).toBe('aboutId');
    expect((await write(supervisor, { body: '' })).body.error?.field).toBe('body');
    expect((await supervisor.api.post('/api/competencies', { name: 'Mine' })).status).toBe(403);
    expect((await outsider.api.post(`/api/sessions/${id}/supervision-notes`, { body: 'x' })).status).toBe(403);
    expect((await admin.api.post(`/api/sessions/${id}/supervision-notes`, { body: 'x' })).status).toBe(403);
    expect((await notes(supervisor)).body.length).toBe(before + 1);
  });

  it('is never in the note: not its digest, review, replay, timeline, exports, comments, nor its Yjs document', async () => {
    expect((await a.api.get<{ digest: string; matches: boolean }>(`/api/sessions/${id}/verify`)).body).toMatchObject({ digest: digestBefore, matches: true });
    const timeline = (await supervisor.api.get<{ points: number[] }>(`/api/sessions/${id}/timeline`)).body;
    const readable = [
      `/api/sessions/${id}/review`, `/api/sessions/${id}/replay?at=${timeline.points.at(-1)}`, `/api/sessions/${id}/timeline`, `/api/sessions/${id}/export.md`,
      `/api/sessions/${id}/comments`, `/api/sessions/${id}/threads`, `/api/sessions/${id}`, `/api/sessions/${id}/access`, '/api/sessions', '/api/queue', '/api/notices',
    ];
    for (const route of readable) {
      const res = await supervisor.api.get(route);
      expect(res.status, route).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text, route).not.toContain('SUPERVISION-ONLY');
      expect(text, route).not.toContain('THERAPIST-REFLECTION');
    }
    // The PDF is laid out from the same review the JSON above is (glyph ids, not searchable letters).
    expect((await fetch(`${server.baseUrl}/api/sessions/${id}/export.pdf`, { headers: { cookie: supervisor.api.cookie! } })).status).toBe(200);
    const reader = connectClient(server.baseUrl, id, supervisor.api.cookie);
    await expect.poll(() => reader.provider.synced).toBe(true);
    expect(JSON.stringify(reader.doc.toJSON())).not.toContain('SUPERVISION');
    expect(Buffer.from(Y.encodeStateAsUpdate(reader.doc)).toString('utf8')).not.toContain('SUPERVISION');
    // Sealed at rest like every other typed text.
    const db = fs.readFileSync(path.join(server.dataDir, 'tandem.db')).toString('latin1') + (fs.existsSync(path.join(server.dataDir, 'tandem.db-wal')) ? fs.readFileSync(path.join(server.dataDir, 'tandem.db-wal')).toString('latin1') : '');
    expect(db).not.toContain('SUPERVISION-ONLY');
  });

  it('answers nothing of them to a non-member or an admin on any route they can call', async () => {
    for (const p of [outsider, admin]) {
      const res = await notes(p);
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('SUPERVISION');
      // The refused attempt is in the audit log.
      const refused = (await admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${id}&actorId=${p.id}&action=access_refused`)).body;
      expect(refused.map((e) => e.detail)).toEqual([{ what: 'supervision notes' }]);
    }
    const adminRoutes = ['/api/audit?limit=1000', `/api/audit/log?sessionId=${id}`, `/api/audit/export.csv?sessionId=${id}`, '/api/users', '/api/competencies', `/api/sessions/${id}`];
    for (const route of adminRoutes) {
      const res = await admin.api.get(route);
      expect(JSON.stringify(res.body), route).not.toContain('SUPERVISION');
      expect(JSON.stringify(res.body), route).not.toContain('THERAPIST-REFLECTION');
    }
    const outsiderRoutes = [`/api/sessions/${id}`, `/api/sessions/${id}/review`, `/api/sessions/${id}/comments`, `/api/sessions/${id}/threads`, '/api/queue', '/api/notices', `/api/dyads/trend?ids=${a.id}`, '/api/dyads'];
    for (const route of outsiderRoutes) {
      const res = await outsider.api.get(route);
      expect(JSON.stringify(res.body), route).not.toContain('SUPERVISION');
    }
  });

  it('audits each read and write of them on their own actions, without their words', async () => {
    const audit = (await admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${id}&limit=1000`)).body;
    const actions = audit.map((e) => [e.action, e.actorId]);
    expect(actions).toContainEqual(['supervision_note_added', supervisor.id]);
    expect(actions).toContainEqual(['supervision_note_added', b.id]);
    expect(actions).toContainEqual(['supervision_notes_read', a.id]);
    expect(audit.filter((e) => e.action === 'supervision_note_added' && e.actorId === supervisor.id).at(-1)?.detail).toMatchObject({ codes: ['countertransference', 'alliance'] });
    expect(JSON.stringify(audit)).not.toContain('SUPERVISION');
  });
});
