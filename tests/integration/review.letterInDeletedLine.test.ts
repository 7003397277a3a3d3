import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewBlock, ReviewRun, ReviewView } from '../../shared/domain/review';
import { expectStatus } from '../helpers/api';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession } from '../helpers/connectClient';
import { craftFrom, roundTrip } from '../helpers/craft';
import { findText, topBlockOf } from '../helpers/noteOps';
import { openRaw, updateFrame, type RawSocket } from '../helpers/rawSocket';

const runsOf = (blocks: ReviewBlock[]): ReviewRun[] => blocks.flatMap((b) => [...b.runs, ...runsOf(b.children)]);

/** What one transaction of `doc` writes, as its 'update' event carries it (what y-websocket sends). */
function sent(doc: Y.Doc, fn: () => void): Uint8Array {
  let update: Uint8Array | null = null;
  const take = (u: Uint8Array) => (update = u);
  doc.on('update', take);
  doc.transact(fn);
  doc.off('update', take);
  if (!update) throw new Error('the transaction wrote nothing');
  return update;
}

/** The line holding `words` made a level-2 heading as y-prosemirror writes it: the old line deleted, a copy of its words written. */
function makeHeading(doc: Y.Doc, words: string): void {
  const note = doc.getXmlFragment('note');
  const old = topBlockOf(doc, words);
  const delta = findText(doc, words).text.toDelta() as { insert: string; attributes?: Record<string, unknown> }[];
  const index = note.toArray().indexOf(old);
  note.delete(index, 1);
  const text = new Y.XmlText();
  const h = new Y.XmlElement('heading');
  h.setAttribute('level', 2 as unknown as string);
  h.insert(0, [text]);
  note.insert(index, [h]);
  for (const d of delta) text.insert(text.length, d.insert, d.attributes ?? {});
}

/** Types `letters` at the end of the line holding `words`. */
const typeAtEnd = (doc: Y.Doc, words: string, letters: string) =>
  sent(doc, () => {
    const { text } = findText(doc, words);
    text.insert(text.length, letters);
  });

// Clinician walk (6 Dec): Alex typed on at the end of his line while Blair made it a heading and
// typed on in another paragraph; about one round in three the letter Alex was typing stood in the
// record struck through, "deleted by Blair", in a line of its own after the heading (review,
// Markdown, PDF), though Blair deleted nothing and the heading held all his words. His letter had
// reached the server before her change, which her page made without it: Yjs deleted it with the
// line, and the server kept it as hers, also once his page had written it again after her copy.
describe('a letter typed into a line the co-therapist makes a heading meanwhile', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const review = async (id: string) => expectStatus(clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`), 200, 'review');
  const send = async (raw: RawSocket, update: Uint8Array) => {
    raw.ws.send(updateFrame(update));
    // The server reads a socket's frames in order: once it answers, the update has been judged.
    await roundTrip(raw);
  };
  const struckOf = (record: ReviewView) => runsOf(record.blocks).filter((r) => r.struck).map((r) => ({ text: r.text, author: r.authorId, by: r.struck!.by }));
  const lines = (record: ReviewView) => record.blocks.map((bl) => bl.runs.filter((r) => !r.struck).map((r) => r.text).join('')).filter((t) => t !== '');

  /**
   * Alex's line (written by his page, or by another page of his when `samePage` is false), made a
   * heading by Blair while Alex types `t` at its end: his letter reaches the server first (or,
   * `headingFirst`, after it), her change (made without it) next, then her typing elsewhere; then his page gets her change and,
   * unless `rewrite` is false, writes the letter again after her copy (caretOnRemoteEdits.ts).
   */
  async function race(opts: { samePage: boolean; rewrite: string | null; headingFirst?: boolean }) {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    appendParagraph(b.doc, 'Mood stable.');
    const rawA = await openRaw(server.baseUrl, id, { cookie: clinic.a.api.cookie!, origin: server.baseUrl });
    const rawB = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    if (!opts.samePage) appendParagraph(a.doc, 'Client slept well this week');
    await expect.poll(() => a.isSaved() && b.isSaved() && a.text().includes('Mood') && (opts.samePage || b.text().includes('this week'))).toBe(true);
    const alex = craftFrom(await roundTrip(rawA), 71_001);
    if (opts.samePage) await send(rawA, sent(alex, () => appendParagraph(alex, 'Client slept well this week')));
    const blair = craftFrom(await roundTrip(rawB), 71_002);

    const heading = sent(blair, () => makeHeading(blair, 'slept well'));
    const letter = typeAtEnd(alex, 'this week', 't');
    for (const [raw, update] of opts.headingFirst ? ([[rawB, heading], [rawA, letter]] as const) : ([[rawA, letter], [rawB, heading]] as const)) await send(raw, update);
    // Her page gets his letter, inside the line she deleted, and she types at once in another paragraph.
    Y.applyUpdate(blair, letter, 'server');
    const typing = typeAtEnd(blair, 'Mood stable.', ' Eats');
    await send(rawB, typing);
    Y.applyUpdate(alex, heading, 'server');
    Y.applyUpdate(alex, typing, 'server');
    if (opts.rewrite !== null) await send(rawA, typeAtEnd(alex, 'this week', opts.rewrite));
    const record = await review(id);
    a.destroy();
    b.destroy();
    return record;
  }

  it('keeps no "deleted by" of the co-therapist for the letter once the writer’s page writes it again after her copy', async () => {
    for (const samePage of [true, false]) {
      const record = await race({ samePage, rewrite: 't' });
      expect(struckOf(record)).toEqual([]);
      expect(lines(record)).toContain('Client slept well this weekt');
    }
    // Arriving after her change, inside the line it deleted, the letter is deleted by Yjs as it goes in: no one's deletion.
    const late = await race({ samePage: true, rewrite: 't', headingFirst: true });
    expect(struckOf(late)).toEqual([]);
    expect(lines(late)).toContain('Client slept well this weekt');
  });

  it('keeps the letter struck when nobody writes it again, or something else is written there (the line’s words are not lost without a trace)', async () => {
    const gone = await race({ samePage: true, rewrite: null });
    expect(struckOf(gone)).toEqual([{ text: 't', author: clinic.a.id, by: clinic.b.id }]);
    const other = await race({ samePage: true, rewrite: 's' });
    expect(struckOf(other)).toEqual([{ text: 't', author: clinic.a.id, by: clinic.b.id }]);
    expect(lines(other)).toContain('Client slept well this weeks');
  });
});
