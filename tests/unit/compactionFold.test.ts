import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldLog, mergeByTime } from '../../server/collab/compaction';
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
