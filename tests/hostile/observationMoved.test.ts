import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewView } from '../../shared/domain/review';
import { encodeParts } from '../../shared/protocol/updateParts';
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

  // Attack, 6 Dec: Yjs reads a right origin only as where to stop looking, and places an item with
  // no left origin among the items from the start of the text. The guard's quick reading trusted the
  // places the marks named: two marks around B's words naming right origins elsewhere put A's
  // observation on them, and one closing with no left origin took it off part of A's words.
  it('is refused when its marks name places Yjs would not put them', async () => {
    const sessionId = await createSession(clinic, 'group');
    const a = connectClient(server.baseUrl, sessionId, clinic.a.api.cookie);
    const b = connectClient(server.baseUrl, sessionId, clinic.b.api.cookie);
    await expect.poll(() => a.provider.synced && b.provider.synced).toBe(true);
    appendParagraph(a.doc, 'Member seemed sad today and withdrawn.');
    const tagged = tagSpan(a.doc, 'sad today and withdrawn', { authorId: clinic.a.id, tags: ['affect'] });
    await expect.poll(() => a.isSaved() && b.text().includes('withdrawn')).toBe(true);
    appendParagraph(b.doc, 'Plan: keep calm and rest.');
    await expect.poll(() => b.isSaved()).toBe(true);

    const raw = await openRaw(server.baseUrl, sessionId, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const note = craftFrom(await roundTrip(raw));
    const mark = (client: number, clock: number, origin: Y.ID | null, rightOrigin: Y.ID | null, value: { id: string } | null) =>
      new Y.Item(Y.createID(client, clock), null, origin, null, rightOrigin, null, null, new Y.ContentFormat(OBSERVATION_MARK, value as object)); // a closing is null: Yjs's types say Object
    const closingOfA = itemsOf(findText(note, 'sad today').text).find((i) => i.content instanceof Y.ContentFormat && i.content.value === null)!;
    // Yjs orders items named after one place by client id: below B's, the opening stays right after
    // its origin; above A's, the closing with no origin goes right before its right origin.
    const attempts: [number, Y.Item[]][] = [
      // Around "calm" of B's line: the opening names A's closing as its right, the closing none.
      [LOW, [mark(LOW, 0, charId(note, 'keep calm', 4), closingOfA.id, { id: tagged.id }), mark(LOW, 1, charId(note, 'keep calm', 8), null, null)]],
      // A closing with no left origin, its right the "t" of "today": Yjs puts it before "today".
      [HIGH, [mark(HIGH, 0, null, charId(note, 'sad today', 4), null)]],
    ];
    for (const [i, [client, structs]] of attempts.entries()) {
      raw.ws.send(updateFrame(encodeParts(new Map([[client, structs]]), Y.createDeleteSet())));
      await expect.poll(() => raw.notices.filter((n) => n.type === 'refused' && n.code === 'observation_moved').length).toBe(i + 1);
    }
    expect(await quotes(sessionId)).toEqual([[clinic.a.id, 'sad today and withdrawn']]);
    raw.ws.close();
    a.destroy();
    b.destroy();
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

/** Yjs client ids below and above any a page picks. */
const LOW = 1;
const HIGH = 4_294_967_000;

/** The items of a text, deleted ones too, in order. */
function itemsOf(text: Y.XmlText): Y.Item[] {
  const out: Y.Item[] = [];
  for (let item = text._start; item; item = item.right) out.push(item);
  return out;
}

/** The id of the character `offset` places into the first occurrence of `needle` in the note. */
function charId(doc: Y.Doc, needle: string, offset: number): Y.ID {
  const { text, index } = findText(doc, needle);
  let at = index + offset;
  for (const item of itemsOf(text)) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
    if (at < item.length) return Y.createID(item.id.client, item.id.clock + at);
    at -= item.length;
  }
  throw new Error(`no character ${offset} into "${needle}"`);
}
