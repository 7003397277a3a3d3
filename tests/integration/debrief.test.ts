import { describe, expect, it } from 'vitest';
import type { AuditEntryView } from '../../shared/domain/audit';
import type { DebriefFieldView, DebriefView } from '../../shared/domain/debrief';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';

describe('the pair’s huddle and debrief', async () => {
  const { server, clinic } = await startClinic();
  const secret = 'Blair felt pulled into the alliance with M2';

  it('is written by the pair, read by their supervisor, refused to others, and never overwritten unseen', async () => {
    const sessionId = await createSession(clinic);
    const path = `/api/sessions/${sessionId}/debrief`;
    const empty = (await clinic.supervisor.api.get<DebriefView>(path)).body;
    expect(empty.raters).toEqual({ a: { accountId: clinic.a.id, name: clinic.a.name }, b: { accountId: clinic.b.id, name: clinic.b.name } });
    expect(empty.fields.map((f) => [f.field, f.version])).toEqual([
      ['plan', 0], ['leads', 0], ['watchFor', 0], ['noticedA', 0], ['noticedB', 0], ['disagreements', 0], ['checkIn', 0],
    ]);
    expect(empty.canEdit).toBe(false);

    const saved = await clinic.a.api.request<DebriefFieldView>('PUT', `${path}/plan`, { body: 'Open with the check-in round', baseVersion: 0 });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ field: 'plan', body: 'Open with the check-in round', version: 1, updatedBy: clinic.a.id, updatedByName: clinic.a.name });
    // B writes on A's version; A's stale save is refused, not written over B's.
    expect((await clinic.b.api.request('PUT', `${path}/plan`, { body: 'Open with the check-in round; Blair leads it', baseVersion: 1 })).status).toBe(200);
    const stale = await clinic.a.api.request<{ error: { code: string } }>('PUT', `${path}/plan`, { body: 'mine', baseVersion: 1 });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'debrief_changed']);
    expect((await clinic.b.api.request('PUT', `${path}/noticedB`, { body: secret, baseVersion: 0 })).status).toBe(200);

    expect((await clinic.a.api.get<Record<string, number>>(`${path}/versions`)).body).toEqual({ noticedB: 1, plan: 2 });
    const read = (await clinic.supervisor.api.get<DebriefView>(path)).body;
    expect(read.fields.find((f) => f.field === 'plan')).toMatchObject({ body: 'Open with the check-in round; Blair leads it', version: 2, updatedBy: clinic.b.id });
    expect(read.fields.find((f) => f.field === 'noticedB')?.body).toBe(secret);

    // The supervisor reads only; outsiders get nothing; bad input names its field and changes nothing.
    expect((await clinic.supervisor.api.request('PUT', `${path}/checkIn`, { body: 'x', baseVersion: 0 })).status).toBe(403);
    expect((await clinic.outsider.api.get(path)).status).toBe(403);
    expect((await clinic.outsider.api.request('PUT', `${path}/checkIn`, { body: 'x', baseVersion: 0 })).status).toBe(403);
    const badField = await clinic.a.api.request<{ error: { field: string } }>('PUT', `${path}/diagnosis`, { body: 'x', baseVersion: 0 });
    expect([badField.status, badField.body.error.field]).toEqual([400, 'field']);
    const tooLong = await clinic.a.api.request<{ error: { field: string } }>('PUT', `${path}/checkIn`, { body: 'x'.repeat(5001), baseVersion: 0 });
    expect([tooLong.status, tooLong.body.error.field]).toEqual([400, 'body']);
    expect((await clinic.a.api.get<Record<string, number>>(`${path}/versions`)).body).toEqual({ noticedB: 1, plan: 2 });

    // Audited: who read and who saved which field, never the words.
    const audit = (await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=100`)).body;
    expect(audit.filter((e) => e.action === 'debrief_saved').map((e) => [e.actorId, e.detail.field, e.detail.version])).toEqual([
      [clinic.b.id, 'noticedB', 1], [clinic.b.id, 'plan', 2], [clinic.a.id, 'plan', 1],
    ]);
    expect(audit.some((e) => e.action === 'debrief_read' && e.actorId === clinic.supervisor.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain('alliance with M2');
  });

  it('stays out of the record: the note, its digest, the review, replay and both exports', async () => {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M2 sat apart from the group today');
    await expect.poll(() => a.isSaved()).toBe(true);
    const digest = async () => (await clinic.a.api.get<{ digest: string }>(`/api/sessions/${sessionId}/verify`)).body.digest;
    const before = await digest();
    expect(before).toMatch(/^[0-9a-f]{64}$/);

    for (const field of ['plan', 'noticedA', 'disagreements', 'checkIn']) {
      expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/debrief/${field}`, { body: `${secret} (${field})`, baseVersion: 0 })).status).toBe(200);
    }
    expect(await digest()).toBe(before);
    expect(a.doc.getXmlFragment('note').toString()).not.toContain('alliance');
    const timeline = (await clinic.a.api.get<{ points: number[] }>(`/api/sessions/${sessionId}/timeline`)).body;
    const reads = [
      await clinic.supervisor.api.get(`/api/sessions/${sessionId}/review`),
      await clinic.supervisor.api.get(`/api/sessions/${sessionId}/export.md`),
      await clinic.supervisor.api.get(`/api/sessions/${sessionId}/export.pdf`),
      await clinic.supervisor.api.get(`/api/sessions/${sessionId}/replay?at=${timeline.points.at(-1)}`),
    ];
    for (const res of reads) {
      expect(res.status).toBe(200);
      expect(typeof res.body === 'string' ? res.body : JSON.stringify(res.body)).not.toContain('alliance');
    }
    expect(JSON.stringify(reads[0]!.body)).toContain('sat apart from the group');
    a.destroy();
  });
});
