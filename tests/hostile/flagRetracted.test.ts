/**
 * A flag its author took back, unanswered, left its notice in the addressee's inbox: "Flag for
 * you" of a flag the note no longer held, unread. A's loop of flagging and taking back (a raw
 * update deleting the record; the observation limit counts only the observations a note holds)
 * put one more unread notice in B's inbox each time, pushing B's other notices out of its newest
 * (attack, 7 Dec). The notices of a flag taken back now leave the inboxes.
 */
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { NoticesView } from '../../shared/domain/supervisor';
import { OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession } from '../helpers/connectClient';
import { answerFlag, findText, tagSpan } from '../helpers/noteOps';

describe('a flag taken back by its author', async () => {
  const { server, clinic } = await startClinic();
  const inboxOfB = async (id: string) => {
    const view = await expectStatus(clinic.b.api.get<NoticesView>('/api/notices'), 200, 'notices');
    return { unread: view.unread, here: view.notices.filter((n) => n.sessionId === id).map((n) => [n.kind, n.read]) };
  };
  /** What taking a flag back writes: the mark off its words and the record deleted, in one transaction. */
  const retract = (doc: Y.Doc, words: string, observationId: string) =>
    doc.transact(() => {
      const { text, index } = findText(doc, words);
      text.format(index, words.length, { [OBSERVATION_MARK]: null });
      sessionDoc(doc).observations.delete(observationId);
    });

  it('leaves the addressee’s inbox, however often it is flagged and taken back; an answered one stays', async () => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const before = (await inboxOfB(id)).unread;
    appendParagraph(a.doc, 'M1 turned to the window.');
    for (let round = 0; round < 15; round++) {
      const flag = tagSpan(a.doc, 'turned', { authorId: clinic.a.id, tags: ['nonverbal'], forCoTherapist: true });
      await expect.poll(() => a.isSaved()).toBe(true);
      retract(a.doc, 'turned', flag.id);
      await expect.poll(() => a.isSaved()).toBe(true);
    }
    expect(a.notices.filter((n) => n.type === 'refused')).toEqual([]);
    await expect.poll(() => inboxOfB(id)).toEqual({ unread: before, here: [] });

    // One B answered stays, answered and read, and cannot be taken back (guards.ts).
    const kept = tagSpan(a.doc, 'window', { authorId: clinic.a.id, tags: ['nonverbal'], forCoTherapist: true });
    await expect.poll(() => a.isSaved()).toBe(true);
    await expect.poll(async () => (await inboxOfB(id)).here).toEqual([['flag', false]]);
    await expect.poll(() => sessionDoc(b.doc).observations.has(kept.id)).toBe(true);
    answerFlag(b.doc, kept.id, { by: clinic.b.id, at: Date.now(), answer: 'acknowledged', note: null });
    await expect.poll(() => b.isSaved()).toBe(true);
    await expect.poll(async () => (await inboxOfB(id)).here).toEqual([['flag_answered', true]]);
  });
});
