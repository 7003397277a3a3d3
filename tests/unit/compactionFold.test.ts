import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldLog, mergeByTime, type Folded } from '../../server/collab/compaction';
import { KeptFolds } from '../../server/collab/keptFolds';
import { decodeSnapshotMeta } from '../../server/collab/snapshotMeta';
import type { LogEntry } from '../../server/persistence/ports';

/** A writer's keystrokes, one update each, stamped with the times given (ms). */
function keystrokes(doc: Y.Doc, firstSeq: number) {
  const entries: LogEntry[] = [];
  let at = 0;
  doc.on('update', (data: Uint8Array) => entries.push({ seq: firstSeq + entries.length, at, data }));
  const text = doc.getText('t');
  return {
    entries,
    type(when: number, index: number, chars: string) {
      at = when;
      for (let i = 0; i < chars.length; i++) text.insert(index + i, chars[i]!);
    },
    erase(when: number, index: number, count: number) {
      at = when;
      for (let i = count - 1; i >= 0; i--) text.delete(index + i, 1);
    },
  };
}

const textOf = (parts: Uint8Array[]): string => {
  const doc = new Y.Doc();
  for (const p of parts) Y.applyUpdate(doc, p);
  return doc.getText('t').toString();
};
const bytes = (es: LogEntry[]) => es.reduce((n, e) => n + e.data.byteLength, 0);
const contains = (data: Uint8Array, s: string) => Buffer.from(data).includes(s);

describe('folding a note log', () => {
  it('keeps the note as it stood at every bucket boundary, with deleted text, in far fewer bytes than merged keystrokes', () => {
    const source = new Y.Doc();
    const w = keystrokes(source, 1);
    w.type(100, 0, 'hello world');
    w.erase(1_200, 6, 5);
    w.type(1_300, 6, 'there');
    w.type(2_100, 11, ' typo');
    w.erase(2_200, 11, 5);
    w.type(2_300, 11, '!');

    const folded = foldLog({ docId: 'note', snapshot: null, tail: w.entries, resolutionMs: 1_000 });
    expect(folded.merged.map((e) => [e.seq, e.at])).toEqual([
      [11, 100],
      [21, 1_300],
      [32, 2_300],
    ]);
    for (const [k, entry] of folded.merged.entries()) {
      const upTo = w.entries.filter((e) => e.at <= entry.at).map((e) => e.data);
      expect(textOf(folded.merged.slice(0, k + 1).map((e) => e.data))).toBe(textOf(upTo));
    }
    expect(textOf(folded.merged.slice(0, 1).map((e) => e.data))).toBe('hello world');
    expect(bytes(folded.merged)).toBeLessThan(bytes(mergeByTime(w.entries, 1_000)) / 2);

    // The snapshot is the note as a gc-on document keeps it: deleted text is not in it.
    expect(textOf([folded.state])).toBe('hello there!');
    expect(contains(folded.state, 'world')).toBe(false);
    expect(contains(folded.merged[0]!.data, 'world')).toBe(true);
    const meta = decodeSnapshotMeta(folded.meta!);
    expect(meta.clocks).toEqual(Y.decodeStateVector(Y.encodeStateVector(source)));

    // The next compaction folds only its own tail, on top of that snapshot.
    const later = keystrokes(source, 100);
    later.type(5_000, 0, '> ');
    later.erase(6_000, 2, 6);
    const next = foldLog({ docId: 'note', snapshot: folded.state, tail: later.entries, resolutionMs: 1_000 });
    expect(next.merged).toHaveLength(2);
    expect(textOf([...folded.merged, next.merged[0]!].map((e) => e.data))).toBe('> hello there!');
    expect(textOf([...folded.merged, ...next.merged].map((e) => e.data))).toBe('> there!');
    expect(textOf([next.state])).toBe('> there!');
  });

  it('keeps the entries as they are when some of the tail waits on an update that is not stored', () => {
    const source = new Y.Doc();
    const w = keystrokes(source, 1);
    w.type(100, 0, 'abc');
    w.type(1_100, 3, 'def');
    const tail = w.entries.filter((e) => e.seq !== 2);
    const folded = foldLog({ docId: 'note', snapshot: null, tail, resolutionMs: 1_000 });
    expect(folded.meta).toBeNull();
    expect(folded.merged).toEqual(mergeByTime(tail, 1_000));
    expect(textOf([folded.state, w.entries[1]!.data])).toBe('abcdef');
  });
});

/**
 * Two co-therapists' log over `seconds` seconds: each types in a paragraph of their own, makes a
 * word bold, takes back typos, and now and then deletes a whole earlier paragraph.
 */
function sessionLog(seconds: number): LogEntry[] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const log: LogEntry[] = [];
  let at = 0;
  for (const [doc, other] of [[a, b], [b, a]] as const) {
    doc.on('update', (data: Uint8Array, origin: unknown) => {
      if (origin === 'peer') return;
      log.push({ seq: log.length + 1, at, data });
      Y.applyUpdate(other, data, 'peer');
    });
  }
  const paragraphOf = (doc: Y.Doc): Y.XmlText => {
    const text = new Y.XmlText();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    doc.getXmlFragment('note').push([p]);
    return text;
  };
  for (let s = 0; s < seconds; s++) {
    for (const [k, doc] of [a, b].entries()) {
      at = s * 1_000 + k * 400;
      const text = paragraphOf(doc);
      for (const ch of `${k ? 'B' : 'A'} noted at ${s}: client calm, typo`) text.insert(text.length, ch);
      for (let i = 0; i < 4; i++) text.delete(text.length - 1, 1);
      text.format(0, 1, { bold: true });
      if (s % 3 === 2) doc.getXmlFragment('note').delete(k, 1);
    }
  }
  return log;
}

const sameBytes = (x: Uint8Array | null, y: Uint8Array | null) => (x && y ? Buffer.compare(x, y) === 0 : x === y);
const expectSameFold = (continued: Folded, fromStorage: Folded) => {
  expect(sameBytes(continued.state, fromStorage.state)).toBe(true);
  expect(sameBytes(continued.meta, fromStorage.meta)).toBe(true);
  expect(continued.merged.map((e) => [e.seq, e.at])).toEqual(fromStorage.merged.map((e) => [e.seq, e.at]));
  for (const [i, e] of continued.merged.entries()) expect(sameBytes(e.data, fromStorage.merged[i]!.data)).toBe(true);
};

describe('folding from the document the last fold of the note ended with', () => {
  it('writes the same snapshot, meta and history as folding from the stored snapshot', () => {
    const log = sessionLog(12);
    const kept = new KeptFolds();
    let snapshot: Uint8Array | null = null;
    for (let from = 0; from < log.length; from += 37) {
      const tail = log.slice(from, from + 37);
      const fromStorage = foldLog({ docId: 'note', snapshot, tail, resolutionMs: 1_000 });
      const continued = foldLog({ docId: 'note', snapshot, tail, resolutionMs: 1_000 }, kept);
      expectSameFold(continued, fromStorage);
      snapshot = continued.state;
    }
    const doc = kept.take('note', snapshot);
    expect(doc).not.toBeNull();
    expect(sameBytes(Y.encodeStateAsUpdate(doc!), snapshot)).toBe(true);
  });

  it('is not used when the stored snapshot is another one (another process compacted the note since)', () => {
    const log = sessionLog(6);
    const kept = new KeptFolds();
    const ours = foldLog({ docId: 'note', snapshot: null, tail: log.slice(0, 20), resolutionMs: 1_000 }, kept);
    const theirs = foldLog({ docId: 'note', snapshot: null, tail: log.slice(0, 40), resolutionMs: 1_000 });
    const tail = log.slice(40);
    const next = foldLog({ docId: 'note', snapshot: theirs.state, tail, resolutionMs: 1_000 }, kept);
    expectSameFold(next, foldLog({ docId: 'note', snapshot: theirs.state, tail, resolutionMs: 1_000 }));
    // Nor is a document kept for another note, or one whose snapshot was replaced.
    expect(kept.take('other', next.state)).toBeNull();
    expect(kept.take('note', ours.state)).toBeNull();
  });

  it('is dropped when the tail waits on an update that is not stored', () => {
    const log = sessionLog(4);
    const kept = new KeptFolds();
    const first = foldLog({ docId: 'note', snapshot: null, tail: log.slice(0, 10), resolutionMs: 1_000 }, kept);
    const gap = log.slice(11);
    const folded = foldLog({ docId: 'note', snapshot: first.state, tail: gap, resolutionMs: 1_000 }, kept);
    expect(folded.meta).toBeNull();
    expect(folded.merged).toEqual(mergeByTime(gap, 1_000));
    expect(kept.take('note', first.state)).toBeNull();
    expect(kept.take('note', folded.state)).toBeNull();
  });

  it('keeps only the most recently folded notes', () => {
    const log = sessionLog(2);
    const kept = new KeptFolds(2);
    const states = ['a', 'b', 'c'].map((docId) => foldLog({ docId, snapshot: null, tail: log, resolutionMs: 1_000 }, kept).state);
    expect(kept.take('a', states[0]!)).toBeNull();
    expect(kept.take('b', states[1]!)).not.toBeNull();
    expect(kept.take('c', states[2]!)).not.toBeNull();
  });
});
