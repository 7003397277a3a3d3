import { describe, expect, it } from 'vitest';
import type { ConcordanceView } from '../../shared/domain/concordance';
import type { AuditEntryView } from '../../shared/domain/audit';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { answerFlag, tagSpan } from '../helpers/noteOps';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { startClinic } from '../helpers/clinic';

describe('concordance of the two therapists’ observations', async () => {
  const { server, clinic } = await startClinic();

  it('lines up what each caught, names the method, is audited, and is refused to outsiders and bad windows', async () => {
    const sessionId = await createSession(clinic);
    expect((await clinic.a.api.request('PUT', `/api/sessions/${sessionId}/group-members`, { labels: ['M1', 'M2'] })).status).toBe(200);
    expect((await clinic.a.api.post(`/api/sessions/${sessionId}/start`)).status).toBe(200);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);

    appendParagraph(a.doc, 'M1 went quiet when his brother spoke');
    appendParagraph(a.doc, 'M2 laughed and changed the subject');
    const aQuiet = tagSpan(a.doc, 'went quiet', { authorId: clinic.a.id, tags: ['affect'], member: 'M1' });
    await expect.poll(() => a.isSaved()).toBe(true);
    await expect.poll(() => b.doc.getXmlFragment('note').toString().includes('changed the subject')).toBe(true);
    // B tags the same words for the same member: matched. B alone sees M2's deflection.
    const bQuiet = tagSpan(b.doc, 'when his brother', { authorId: clinic.b.id, tags: ['affect'], member: 'M1' });
    const bLaugh = tagSpan(b.doc, 'changed the subject', { authorId: clinic.b.id, tags: ['group-dynamic'], member: 'M2', forCoTherapist: true });
    await expect.poll(() => b.isSaved()).toBe(true);
    // A had seen it without tagging it, and answers B's flag so (walk, 4 Dec: the review then said
    // A had "nothing at this moment").
    await expect.poll(() => a.text().includes('changed the subject') && sessionDoc(a.doc).observations.has(bLaugh.id)).toBe(true);
    answerFlag(a.doc, bLaugh.id, { by: clinic.a.id, at: Date.now(), answer: 'disputed', note: 'Noted her hands shaking too' });
    await expect.poll(() => a.isSaved()).toBe(true);

    const res = await clinic.supervisor.api.get<ConcordanceView>(`/api/sessions/${sessionId}/concordance`);
    expect(res.status).toBe(200);
    const view = res.body;
    expect(view.raters).toEqual({ a: { accountId: clinic.a.id, name: clinic.a.name }, b: { accountId: clinic.b.id, name: clinic.b.name } });
    expect(view.counts).toEqual({ matched: 1, differentTags: 0, onlyA: 0, onlyB: 1 });
    const matched = view.moments.find((m) => m.kind === 'matched')!;
    expect([matched.a?.observationId, matched.b?.observationId, matched.samePassage]).toEqual([aQuiet.id, bQuiet.id, true]);
    expect(view.moments.find((m) => m.kind === 'onlyB')).toMatchObject({
      member: 'M2',
      b: { observationId: bLaugh.id, quote: 'changed the subject', answer: { answer: 'disputed', note: 'Noted her hands shaking too' } },
    });
    expect(matched.a?.answer).toBeNull();
    // Two moments. Affect: both 1, neither 1 → κ 1. Group dynamic: only B 1, neither 1 → pₒ ½, pₑ ½ → κ 0.
    expect(view.perTag.map((t) => [t.name, t.kappa])).toEqual([['Affect', 1], ['Group dynamic', 0]]);
    expect(view.method).toMatch(/Unit of analysis: the moment/);

    const audit = await clinic.admin.api.get<AuditEntryView[]>(`/api/audit?sessionId=${sessionId}&limit=50`);
    expect(audit.body.some((e) => e.action === 'note_read' && e.actorId === clinic.supervisor.id && e.detail.way === 'concordance')).toBe(true);

    expect((await clinic.a.api.get(`/api/sessions/${sessionId}/concordance?window=2`)).status).toBe(400);
    const bad = await clinic.a.api.get<{ error: { field: string } }>(`/api/sessions/${sessionId}/concordance?window=abc`);
    expect([bad.status, bad.body.error.field]).toEqual([400, 'window']);
    expect((await clinic.outsider.api.get(`/api/sessions/${sessionId}/concordance`)).status).toBe(403);
    expect((await clinic.a.api.get(`/api/sessions/00000000-0000-4000-8000-000000000000/concordance`)).status).toBe(404);
    a.destroy();
    b.destroy();
  });

  it('says why nothing is compared with one therapist', async () => {
    const { id } = (await clinic.a.api.post<{ id: string }>('/api/sessions', { title: 'Solo', kind: 'individual' })).body;
    const view = (await clinic.a.api.get<ConcordanceView>(`/api/sessions/${id}/concordance`)).body;
    expect(view).toMatchObject({ raters: null, moments: [] });
    expect(view.unavailable).toMatch(/two therapists; this session has 1/);
  });
});
