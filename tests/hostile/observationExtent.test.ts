import { joinBackward, splitBlock } from '@tiptap/pm/commands';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ReviewObservation, ReviewView } from '../../shared/domain/review';
import { randomUUID } from 'node:crypto';
import type { Observation } from '../../shared/domain/observation';
import { observationIdFor } from '../../shared/domain/observationIds';
import { EXTENTS, OBSERVATION_MARK, OBSERVATIONS } from '../../shared/ydoc/sessionDoc';
import { startClinic } from '../helpers/clinic';
import { appendParagraph, liveSession, type TestClient } from '../helpers/connectClient';
import { commandAt, editAsEditor, positionOf, schema, typeAfter } from '../helpers/editorEdit';
import { findText, joinToLineBefore, tagLine, tagSpan } from '../helpers/noteOps';
import { craftFrom, roundTrip, updateOf } from '../helpers/craft';
import { openRaw, updateFrame } from '../helpers/rawSocket';
import { isBigUpdate } from '../../server/collab/bigUpdate';

const TAGGED = 'tearful when her father came up.';
const NEXT = 'No risk indicators today; plan unchanged.';
const SPAN_LINE = 'Member seemed sad today and withdrawn at the end.';

/** One way a therapist changes what an observation quotes, and what it then quotes. */
interface Change {
  name: string;
  /** A span observation over "sad today and withdrawn" (else a tagged line of TAGGED). */
  span?: boolean;
  edit(doc: Y.Doc): void;
  quote: string;
}

const CHANGES: Change[] = [
  { name: 'the next line joined into it (Backspace, the editor)', edit: (d) => editAsEditor(d, commandAt(NEXT, joinBackward)), quote: `${TAGGED}${NEXT}` },
  { name: 'the next line joined into it (raw Yjs)', edit: (d) => joinToLineBefore(d, NEXT), quote: `${TAGGED}${NEXT}` },
  { name: 'split inside it (Enter, the editor)', edit: (d) => editAsEditor(d, commandAt('father came', splitBlock)), quote: 'tearful when her' },
  { name: 'a hard line break put inside it (Shift+Enter, the editor)', edit: (d) => editAsEditor(d, (s) => s.tr.insert(positionOf(s.doc, 'father'), schema.nodes.hardBreak!.create())), quote: 'tearful when her' },
  { name: 'words typed inside it (the editor)', edit: (d) => typeAfter(d, 'tearful', ' and calm'), quote: 'tearful and calm when her father came up.' },
  { name: 'words typed at its end (the editor)', edit: (d) => typeAfter(d, 'came up.', ' Denies any plan.'), quote: `${TAGGED} Denies any plan.` },
  { name: 'a line merged in from elsewhere (raw Yjs)', edit: (d) => {
    const from = findText(d, NEXT);
    d.transact(() => {
      from.text.delete(from.index, NEXT.length);
      const to = findText(d, TAGGED);
      to.text.insert(to.index + TAGGED.length, ` ${NEXT}`, { [OBSERVATION_MARK]: null });
    });
  }, quote: `${TAGGED} ${NEXT}` },
  { name: 'words typed inside a tagged span (the editor)', span: true, edit: (d) => typeAfter(d, 'sad today', ' but not'), quote: 'sad today but not and withdrawn' },
];

// Attack, 6 Dec: B pressed Backspace at the start of the line after A's tagged line. A's
// observation then quoted "tearful when her father came up.No risk indicators today; plan
// unchanged." in A's name; every word kept its writer (A's), so neither the review nor the exports
// showed B's hand. The server now compares what each observation quotes before and after every
// update, and records another's change of it in her name (shared/note/extentChanges.ts).
describe('a co-therapist changing which words the other’s observation quotes', async () => {
  const { server, clinic } = await startClinic({ env: { TANDEM_TIMEZONE: 'UTC' } });
  const review = async (id: string) => (await clinic.supervisor.api.get<ReviewView>(`/api/sessions/${id}/review`)).body;
  const settled = (...clients: TestClient[]) => expect.poll(() => clients.every((c) => c.isSaved())).toBe(true);

  /** A live session whose note holds A's tagged line (or tagged span) and, after it, A's next line; B's client has it too. */
  const tagged = async (span: boolean) => {
    const { id, a, b } = await liveSession(server.baseUrl, clinic);
    const obs = span
      ? (appendParagraph(a.doc, SPAN_LINE), tagSpan(a.doc, 'sad today and withdrawn', { authorId: clinic.a.id, tags: ['affect'] }))
      : tagLine(a.doc, 'Affect — ', TAGGED, { authorId: clinic.a.id, tags: ['affect'] });
    appendParagraph(a.doc, NEXT);
    await expect.poll(() => b.text().includes(NEXT)).toBe(true);
    await settled(a);
    return { id, a, b, obs };
  };
  const observation = (r: ReviewView, id: string) => r.observations.find((o) => o.id === id)!;
  /** A tagged line of A's with B's Backspace at the start of A's next line, stored. */
  const joinedByB = async () => {
    const note = await tagged(false);
    editAsEditor(note.b.doc, commandAt(NEXT, joinBackward));
    await settled(note.b);
    return note;
  };

  it.each(CHANGES)('$name: the review says who changed it, when, and what it quoted', async (change) => {
    const { id, a, b, obs } = await tagged(change.span === true);
    const was = observation(await review(id), obs.id).quote;
    const before = Date.now();
    change.edit(b.doc);
    await settled(b);
    const o = observation(await review(id), obs.id);
    expect(o.quote).toBe(change.quote);
    expect(o.extentChanged).toMatchObject({ by: clinic.b.id, byName: 'Blair Therapist', was });
    expect(Date.parse(o.extentChanged!.at)).toBeGreaterThanOrEqual(before - 1000);
    a.destroy();
    b.destroy();
  });

  // A mark widened or narrowed by another is refused outright (observationMoved.test.ts), so it never needs a label.
  it('refuses taking the mark off a word of the other’s tagged span', async () => {
    const { id, a, b, obs } = await tagged(true);
    const { text, index } = findText(b.doc, 'withdrawn');
    text.format(index, 'withdrawn'.length, { [OBSERVATION_MARK]: null });
    await expect.poll(() => b.notices.some((n) => n.type === 'refused' && n.code === 'observation_moved')).toBe(true);
    const o = observation(await review(id), obs.id);
    expect([o.quote, o.extentChanged]).toEqual(['sad today and withdrawn', null]);
    a.destroy();
    b.destroy();
  });

  it('records nothing for the author’s own changes of her observation', async () => {
    const { id, a, b, obs } = await tagged(false);
    editAsEditor(a.doc, commandAt(NEXT, joinBackward));
    typeAfter(a.doc, 'tearful', ' and calm');
    await settled(a);
    const o: ReviewObservation = observation(await review(id), obs.id);
    expect(o.quote).toBe(`tearful and calm when her father came up.${NEXT}`);
    expect(o.extentChanged).toBeNull();
    a.destroy();
    b.destroy();
  });

  // A big update is applied in pieces, one transaction each (bigUpdateLane.ts): a join in its first
  // piece is recorded by that piece's steps.
  it('records a join sent in one update with a paste big enough to be applied in pieces', async () => {
    const { id, a, b, obs } = await tagged(false);
    // One frame, as a raw socket may send it (the editor's provider cuts its updates smaller).
    const raw = await openRaw(server.baseUrl, id, { cookie: clinic.b.api.cookie!, origin: server.baseUrl });
    const doc = craftFrom(await roundTrip(raw));
    const update = updateOf(doc, () => {
      joinToLineBefore(doc, NEXT);
      doc.getXmlFragment('note').push(Array.from({ length: 1_500 }, (_, i) => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(`pasted ${i} `.padEnd(200, 'pasted text '))]);
        return p;
      }));
    });
    expect(isBigUpdate(update)).toBe(true);
    raw.ws.send(updateFrame(update));
    await expect.poll(() => a.text().includes('pasted 1499'), { timeout: 30_000 }).toBe(true);
    raw.ws.close();
    const o = observation(await review(id), obs.id);
    expect(o.quote).toBe(`${TAGGED}${NEXT}`);
    expect(o.extentChanged).toMatchObject({ by: clinic.b.id, was: TAGGED });
    a.destroy();
    b.destroy();
  }, 60_000);

  // A mark is read as a tagged line's marker only once its record says the observation is a line:
  // a mark of her own put inside his tagged line first, its record written later, cut his words.
  it('records a tagged line of hers whose record, written after its mark, cuts his tagged line short', async () => {
    const { id, a, b, obs } = await tagged(false);
    const mine: Observation = { id: observationIdFor(clinic.b.id, randomUUID()), tags: ['affect'], authorId: clinic.b.id, createdAt: Date.now(), kind: 'line', member: null, forCoTherapist: false };
    const { text, index } = findText(b.doc, 'father came up.');
    text.format(index, 'father'.length, { [OBSERVATION_MARK]: { id: mine.id } });
    await settled(b);
    expect(observation(await review(id), obs.id).quote).toBe(TAGGED);
    b.doc.getMap(OBSERVATIONS).set(mine.id, mine);
    await settled(b);
    const o = observation(await review(id), obs.id);
    expect(o.quote).toBe('tearful when her');
    expect(o.extentChanged).toMatchObject({ by: clinic.b.id, was: TAGGED });
    a.destroy();
    b.destroy();
  });

  it('keeps the record the server’s: neither therapist can write it or take it off', async () => {
    const { id, a, b, obs } = await joinedByB();
    // Blair takes her record off; Alex writes one in Blair's name on his own observation.
    b.doc.getMap(EXTENTS).delete(obs.id);
    a.doc.getMap(EXTENTS).set('forged', { by: clinic.b.id, at: 1, was: 'x' });
    // (Her deletion is refused as removing a value another wrote: `not_yours`.)
    await expect.poll(() => a.notices.some((n) => n.type === 'refused' && n.code === 'server_only') && b.notices.some((n) => n.type === 'refused')).toBe(true);
    const r = await review(id);
    expect(observation(r, obs.id).extentChanged).toMatchObject({ by: clinic.b.id, was: TAGGED });
    a.destroy();
    b.destroy();
  });

  it('takes the record off once the observation quotes what it did before again', async () => {
    const { id, a, b, obs } = await joinedByB();
    expect(observation(await review(id), obs.id).extentChanged).not.toBeNull();
    editAsEditor(b.doc, commandAt(NEXT, splitBlock));
    await settled(b);
    const o = observation(await review(id), obs.id);
    expect(o.quote).toBe(TAGGED);
    expect(o.extentChanged).toBeNull();
    a.destroy();
    b.destroy();
  });
});
