import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Observation } from '../../shared/domain/observation';
import { OBSERVATION_MARK, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { anchorQuote, mergePrivate, type PrivateItem } from '../../server/learning/mergePrivate';

const b64 = (rel: Y.RelativePosition) => Buffer.from(Y.encodeRelativePosition(rel)).toString('base64');

function note(...paragraphs: string[]): { doc: Y.Doc; texts: Y.XmlText[] } {
  const doc = new Y.Doc();
  const texts = paragraphs.map((words) => {
    const p = new Y.XmlElement('paragraph');
    const t = new Y.XmlText(words);
    p.insert(0, [t]);
    doc.getXmlFragment('note').push([p]);
    return t;
  });
  return { doc, texts };
}

let n = 0;
function item(anchor: PrivateItem['anchor'], kind: Observation['kind'] = anchor.kind): PrivateItem {
  const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  return {
    record: { id, tags: ['affect'], authorId: '00000000-0000-4000-8000-0000000000aa', createdAt: 1, kind, member: 'M1', forCoTherapist: false },
    anchor,
    stamp: { at: 1000 + n, offsetMs: n, late: false },
    label: 'Affect · M1 — ',
  };
}

const plainText = (p: Y.XmlElement) => (p.get(0) as Y.XmlText).toDelta().map((d: { insert: string }) => d.insert).join('');
const delta = (t: Y.XmlText) => (t.toDelta() as { insert: string; attributes?: Record<string, { id: string } | null> }[]).map((d) => [d.insert, d.attributes?.[OBSERVATION_MARK]?.id ?? null]);

describe('merging private observations into the note at the reveal', () => {
  it('marks a span that moved with text written before it, and stops at its last character', () => {
    const { doc, texts } = note('M1 went quiet when his brother spoke');
    const t = texts[0]!;
    const span = item({ kind: 'span', from: b64(Y.createRelativePositionFromTypeIndex(t, 3, 0)), to: b64(Y.createRelativePositionFromTypeIndex(t, 13, -1)) });
    t.insert(0, 'Early on, ');
    t.insert(23, '!');
    expect(anchorQuote(doc, span.anchor)).toBe('went quiet');
    expect(mergePrivate(doc, [span])).toEqual({ merged: 1, unanchored: 0 });
    expect(delta(t)).toEqual([
      ['Early on, M1 ', null],
      ['went quiet', span.record.id],
      ['! when his brother spoke', null],
    ]);
    expect(sessionDoc(doc).stamps.get(`observation:${span.record.id}`)).toEqual(span.stamp);
  });

  it('puts a tagged line’s marker where the cursor was, after a space, with what was typed after it following', () => {
    const { doc, texts } = note('They argued');
    const t = texts[0]!;
    const line = item({ kind: 'line', at: b64(Y.createRelativePositionFromTypeIndex(t, 11, -1)) });
    t.insert(11, 'about money');
    mergePrivate(doc, [line]);
    expect(delta(t)).toEqual([
      ['They argued ', null],
      ['Affect · M1 — ', line.record.id],
      ['about money', null],
    ]);
  });

  it('keeps the record of an observation whose words were deleted (no mark), and merges nothing twice', () => {
    const { doc, texts } = note('gone soon', 'stays');
    const t = texts[0]!;
    const gone = item({ kind: 'span', from: b64(Y.createRelativePositionFromTypeIndex(t, 0, 0)), to: b64(Y.createRelativePositionFromTypeIndex(t, 4, -1)) });
    t.delete(0, 9);
    expect(anchorQuote(doc, gone.anchor)).toBe('');
    expect(mergePrivate(doc, [gone])).toEqual({ merged: 1, unanchored: 1 });
    expect(sessionDoc(doc).observations.get(gone.record.id)).toEqual(gone.record);
    const before = Y.encodeStateVector(doc);
    expect(mergePrivate(doc, [gone])).toEqual({ merged: 0, unanchored: 0 });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});

describe('two private observations on the same words', () => {
  it('keeps the words marked for the first, and writes each other as a tagged line after the paragraph, quoting its words', () => {
    const { doc, texts } = note('She apologised and her eyes filled with tears', 'Next paragraph');
    const t = texts[0]!;
    const at = (i: number, assoc: number) => b64(Y.createRelativePositionFromTypeIndex(t, i, assoc));
    const first = item({ kind: 'span', from: at(23, 0), to: at(34, -1) });
    const second = item({ kind: 'span', from: at(23, 0), to: at(34, -1) });
    const third = item({ kind: 'span', from: at(28, 0), to: at(39, -1) });
    expect(mergePrivate(doc, [first, second, third])).toEqual({ merged: 3, unanchored: 0 });
    // The writer's sentence is as they wrote it (a marker went into it, and the line took the rest of it: walk, 4 Dec).
    expect(delta(t)).toEqual([
      ['She apologised and her ', null],
      ['eyes filled', first.record.id],
      [' with tears', null],
    ]);
    const paragraphs = doc.getXmlFragment('note').toArray() as Y.XmlElement[];
    expect(paragraphs.map((p) => delta(p.get(0) as Y.XmlText))).toEqual([
      delta(t),
      // In single quotes: the panel, the review and the exports put the line's words in double ones.
      [['Affect · M1 — ', second.record.id], ['‘eyes filled’', null]],
      [['Affect · M1 — ', third.record.id], ['‘filled with’', null]],
      [['Next paragraph', null]],
    ]);
    const { observations } = sessionDoc(doc);
    expect([first, second, third].map((o) => observations.get(o.record.id)?.kind)).toEqual(['span', 'line', 'line']);
  });
  it('quotes at most 200 characters of the words in the line it writes (whole quotes multiplied the note)', () => {
    const long = `${'word '.repeat(2000)}end`;
    const { doc, texts } = note(long);
    const t = texts[0]!;
    const at = (i: number, assoc: number) => b64(Y.createRelativePositionFromTypeIndex(t, i, assoc));
    const items = Array.from({ length: 20 }, () => item({ kind: 'span', from: at(0, 0), to: at(long.length, -1) }));
    mergePrivate(doc, items);
    const lines = (doc.getXmlFragment('note').toArray() as Y.XmlElement[]).slice(1).map((p) => (p.get(0) as Y.XmlText).toString());
    expect(lines).toHaveLength(19);
    for (const line of lines) expect(line.length).toBeLessThan(400);
    expect(plainText(doc.getXmlFragment('note').get(1) as Y.XmlElement)).toMatch(/^Affect · M1 — ‘word word .*…’$/);
  });
  it('writes nothing into a mention chip or an empty list item a crafted line anchor points into', () => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    const chip = new Y.XmlElement('mention');
    chip.setAttribute('id', 'M1');
    p.insert(0, [new Y.XmlText('Asked '), chip]);
    const list = new Y.XmlElement('bulletList');
    const emptyItem = new Y.XmlElement('listItem');
    list.insert(0, [emptyItem]);
    doc.getXmlFragment('note').push([p, list]);
    const inChip = item({ kind: 'line', at: b64(Y.createRelativePositionFromTypeIndex(chip, 0)) });
    const inItem = item({ kind: 'line', at: b64(Y.createRelativePositionFromTypeIndex(emptyItem, 0)) });
    expect(mergePrivate(doc, [inChip, inItem])).toEqual({ merged: 2, unanchored: 2 });
    expect(chip.length).toBe(0);
    expect(emptyItem.length).toBe(0);
  });
});
