/**
 * A flag the co-therapist answered is an exchange of two people: its author retracting it (a raw
 * update deleting the record; the editor never does) took the answer out of the review and "who
 * caught what" with it, leaving no trace of either (attack, 6 Dec).
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import { OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient, liveSession } from '../helpers/connectClient';
import { answerFlag, findText, tagSpan } from '../helpers/noteOps';

describe('a flag the co-therapist answered', async () => {
  const { server, clinic } = await startClinic();

  it('cannot be retracted by its author: the flag and the answer stay in the review', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(b.doc, 'Client clenched her fists when the topic came up.');
    const answered = tagSpan(b.doc, 'clenched her fists', { authorId: clinic.b.id, tags: ['nonverbal'], forCoTherapist: true });
    appendParagraph(b.doc, 'She looked away.');
    const open = tagSpan(b.doc, 'looked away', { authorId: clinic.b.id, tags: ['nonverbal'], forCoTherapist: true });
    await expect.poll(() => b.isSaved() && sessionDoc(a.doc).observations.has(open.id)).toBe(true);
    answerFlag(a.doc, answered.id, { by: clinic.a.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => a.isSaved()).toBe(true);

    /** What retracting writes: the mark off its words and the record deleted, in one transaction. */
    const retract = (doc: Y.Doc, words: string, observationId: string) => doc.transact(() => {
      const { text, index } = findText(doc, words);
      text.format(index, words.length, { [OBSERVATION_MARK]: null });
      sessionDoc(doc).observations.delete(observationId);
    });
    retract(b.doc, 'clenched her fists', answered.id);
    await expect.poll(() => b.notices.find((n) => n.type === 'refused')).toMatchObject({ code: 'observation_immutable' });
    const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
    expect(review.observations.find((o) => o.id === answered.id)).toMatchObject({ quote: 'clenched her fists', response: { by: clinic.a.id, answer: 'acknowledged' } });
    expect(review.whoCaughtWhat.find((w) => w.accountId === clinic.a.id)).toMatchObject({ acknowledgedOwnMiss: 1 });

    // One nobody answered is still its author's to retract (from a page of its own: a refused
    // page's later edits are refused with it).
    const again = connectClient(server.baseUrl, id, clinic.b.api.cookie);
    await expect.poll(() => again.provider.synced).toBe(true);
    retract(again.doc, 'looked away', open.id);
    await expect.poll(() => again.isSaved()).toBe(true);
    expect(again.notices.filter((n) => n.type === 'refused')).toEqual([]);
    expect((await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body.observations.map((o) => o.id)).toEqual([answered.id]);
  });
});
