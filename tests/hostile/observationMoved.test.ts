import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import { OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';
import { createSession } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, connectClient } from '../helpers/connectClient';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { findText, tagSpan } from '../helpers/noteOps';
import { openRaw, updateFrame } from '../helpers/rawSocket';

/**
 * A co-therapist with a raw socket moved the other therapist's observation mark (its id) onto
 * other words: the review then quoted words the author never tagged, in the author's name
 * (attack2, 1 Dec). The server now judges what a mark would newly cover.
 */
describe('a co-therapist moving the other therapist’s observation onto other words', async () => {
  const { server, clinic } = await startClinic();

  const quotes = async (sessionId: string) =>
    (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body.observations.map((o) => [o.authorId, o.quote]);

  it('is refused, says why, and the review still quotes what the author tagged', async () => {
    const sessionId = await createSession(clinic, 'group');
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    await expect.poll(() => a.provider.synced).toBe(true);
    appendParagraph(a.doc, 'M2 went quiet when her father came up.');
    appendParagraph(a.doc, 'M1 laughed at the wrong moment.');
    const tagged = tagSpan(a.doc, 'went quiet', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => a.isSaved()).toBe(true);
    expect(await quotes(sessionId)).toEqual([[clinic.a.id, 'went quiet']]);

    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const moves: ((b: Y.Doc) => void)[] = [
      // Onto other words, off the tagged ones.
      (b) => {
        const from = findText(b, 'went quiet');
        from.text.format(from.index, 'went quiet'.length, { [OBSERVATION_MARK]: null });
        const to = findText(b, 'laughed at the wrong moment');
        to.text.format(to.index, 'laughed at the wrong moment'.length, { [OBSERVATION_MARK]: { id: tagged.id } });
      },
      // Stretched over the words after them.
      (b) => {
        const over = findText(b, 'went quiet when her father');
        over.text.format(over.index, 'went quiet when her father'.length, { [OBSERVATION_MARK]: { id: tagged.id } });
      },
      // Off its words, onto new words of B's (attack3, 1 Dec: the review then quoted them as A's).
      (b) => {
        const from = findText(b, 'went quiet');
        from.text.format(from.index, 'went quiet'.length, { [OBSERVATION_MARK]: null });
        const end = findText(b, 'wrong moment.');
        end.text.insert(end.index + 'wrong moment.'.length, ' Client disclosed a plan to self-harm.', { [OBSERVATION_MARK]: { id: tagged.id } });
      },
      // One letter of the tagged words, mark and all, in another line: typing on inside it writes
      // no mark, so her words after it would have read as A's tag (attack5, 1 Dec).
      (b) => {
        const end = findText(b, 'wrong moment.');
        end.text.insert(end.index + 'wrong moment.'.length, 'q', { [OBSERVATION_MARK]: { id: tagged.id } });
      },
      // A part of the tagged words the same way.
      (b) => {
        const end = findText(b, 'wrong moment.');
        end.text.insert(end.index + 'wrong moment.'.length, ' quiet', { [OBSERVATION_MARK]: { id: tagged.id } });
      },
    ];
    for (const [i, move] of moves.entries()) {
      const b = craftFrom(await roundTrip(raw));
      raw.ws.send(updateFrame(updateOf(b, () => move(b))));
      await expect.poll(() => raw.notices.filter((n) => n.type === 'refused' && n.code === 'observation_moved').length).toBe(i + 1);
    }
    expect(await quotes(sessionId)).toEqual([[clinic.a.id, 'went quiet']]);
    // Her own edits still go through on the same connection: a line of her own.
    const own = craftFrom(await roundTrip(raw));
    raw.ws.send(updateFrame(updateOf(own, () => appendParagraph(own, 'B: agreed to revisit next week.'))));
    await expect.poll(() => a.text()).toContain('B: agreed to revisit next week.');
    raw.ws.close();
    a.destroy();
  });
});

/** The struck runs of the review, with their writer and who struck them. */
const struckRuns = (review: ReviewView) =>
  review.blocks.flatMap((b) => b.runs).filter((r) => r.struck).map((r) => ({ text: r.text, author: r.authorId, by: r.struck!.by }));

// Attack16, 2 Dec: B deleted A's tagged words and wrote the same letters again in their place,
// without her mark or with it over fewer of them. Taken for a move of her words (carried to her),
// it left no trace: her observation quoted nothing, or "at risk" instead of "not at risk".
describe('a co-therapist writing the other’s tagged words again without her observation', async () => {
  const { server, clinic } = await startClinic();

  it('leaves her tagged words struck through as deleted by him (the rest, written as it was, is carried)', async () => {
    const copies: [string, (t: Y.XmlText, line: string, id: string) => void][] = [
      ['without the mark', (t, line) => t.insert(0, line)],
      ['with it over fewer words', (t, line, id) => {
        t.insert(0, 'Client is not ');
        t.insert(14, 'at risk', { [OBSERVATION_MARK]: { id } });
        t.insert(21, line.slice(21), { [OBSERVATION_MARK]: null });
      }],
    ];
    for (const [how, copy] of copies) {
      const sessionId = await createSession(clinic);
      const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
      await expect.poll(() => a.provider.synced).toBe(true);
      const line = 'Client is not at risk today.';
      appendParagraph(a.doc, line);
      const tagged = tagSpan(a.doc, 'not at risk', { authorId: clinic.a.id, tags: ['affect'] });
      await expect.poll(() => a.isSaved()).toBe(true);

      const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
      const b = craftFrom(await roundTrip(raw));
      raw.ws.send(updateFrame(updateOf(b, () => {
        const { text } = findText(b, line);
        text.delete(0, line.length);
        copy(text, line, tagged.id);
      })));
      await roundTrip(raw);
      const review = (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${sessionId}/review`)).body;
      expect(struckRuns(review), how).toEqual([{ text: 'not at risk', author: clinic.a.id, by: clinic.b.id }]);
      raw.ws.close();
      a.destroy();
    }
  });
});
