import { describe, expect, it } from 'vitest';
import type { CommentView, ReviewRun, ReviewView } from '../../shared/domain/review';
import { createSession } from '../helpers/api';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { startClinic } from '../helpers/clinic';

describe('a passage comment quotes the note, not the commenter', async () => {
  const { server, clinic } = await startClinic();
  const sup = clinic.supervisor.api;

  /** A session whose note has the two paragraphs, and the runs the review shows for them. */
  async function noteWith(first: string, second: string): Promise<{ sessionId: string; one: ReviewRun; two: ReviewRun }> {
    const sessionId = await createSession(clinic);
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, first);
    appendParagraph(a.doc, second);
    await expect.poll(() => a.isSaved()).toBe(true);
    a.destroy();
    const runs = (await sup.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.blocks.flatMap((b) => b.runs);
    return { sessionId, one: runs.find((r) => r.text === first)!, two: runs.find((r) => r.text === second)! };
  }

  const passage = (start: ReviewRun, startAt: number, end: ReviewRun, endAt: number, quote: string) => ({
    type: 'passage', start: { client: start.client, clock: start.clock + startAt }, end: { client: end.client, clock: end.clock + endAt }, quote,
  });

  it('refuses a quote the note does not say at the anchor, and stores nothing', async () => {
    const { sessionId, one } = await noteWith('M2 said she felt calmer', 'Plan: review in a week');
    const res = await sup.post<{ error: { code: string; field: string } }>(`/api/sessions/${sessionId}/comments`, {
      anchor: passage(one, 0, one, 22, 'M2 threatened to hurt herself'), body: 'Why was this not escalated?',
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'quote_mismatch', field: 'anchor.quote' });
    expect((await sup.get<CommentView[]>(`/api/sessions/${sessionId}/comments`)).body).toEqual([]);
  });

  it('stores the note’s own words across paragraphs, accepting a quote that differs only in white space', async () => {
    const { sessionId, one, two } = await noteWith('first paragraph here', 'second paragraph there');
    const res = await sup.post<CommentView>(`/api/sessions/${sessionId}/comments`, {
      anchor: passage(one, 6, two, 5, '  paragraph   here second '), body: 'Link these two.',
    });
    expect(res.status).toBe(201);
    expect(res.body.anchor).toMatchObject({ type: 'passage', quote: 'paragraph here\nsecond' });
    const [stored] = (await sup.get<CommentView[]>(`/api/sessions/${sessionId}/comments`)).body;
    expect(stored?.anchor).toMatchObject({ quote: 'paragraph here\nsecond' });
  });

  it('refuses a passage whose end comes before its start', async () => {
    const { sessionId, one, two } = await noteWith('alpha beta', 'gamma delta');
    const res = await sup.post<{ error: { code: string } }>(`/api/sessions/${sessionId}/comments`, {
      anchor: passage(two, 0, one, 4, 'gamma\nalpha'), body: 'Backwards.',
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('anchor_gone');
  });
});
