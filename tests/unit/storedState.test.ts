import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeSnapshotMeta, encodeSnapshotMeta } from '../../server/collab/snapshotMeta';
import { isStored, trackDeletions } from '../../shared/protocol/storedState';

const sv = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

describe('delete tally', () => {
  it('agrees between a writer and a peer that received its garbage-collected state', () => {
    const a = new Y.Doc();
    const ta = trackDeletions(a);
    const text = a.getText('t');
    text.insert(0, 'hello world, hello again');
    text.delete(3, 5);
    text.insert(2, 'XY');
    text.delete(0, 1);
    const b = new Y.Doc();
    const tb = trackDeletions(b);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(tb.tally()).toEqual(ta.tally());
    expect(isStored({ stateVector: sv(a), deletions: ta.tally() }, { stateVector: sv(b), deletions: tb.tally() })).toBe(true);
  });

  it('is what a snapshot meta says, so "Saved" from stored bytes matches what clients count', () => {
    // Two writers, interleaved, with deletions across both: the tally a writer keeps live, the
    // one a server rebuilding the snapshot would count, and the one the meta holds all agree.
    const a = new Y.Doc();
    const b = new Y.Doc();
    const ta = trackDeletions(a);
    for (let i = 0; i < 40; i++) {
      const [writer, other] = i % 2 ? [a, b] : [b, a];
      const text = writer.getText('t');
      if (i % 5 === 4) text.delete(2, 3);
      else text.insert(text.length >> 1, `w${i}-`);
      Y.applyUpdate(other, Y.encodeStateAsUpdate(writer, Y.encodeStateVector(other)));
    }
    const meta = decodeSnapshotMeta(encodeSnapshotMeta(a));
    const rebuilt = new Y.Doc();
    const tr = trackDeletions(rebuilt);
    Y.applyUpdate(rebuilt, Y.encodeStateAsUpdate(a));
    expect(meta.deletions).toEqual(ta.tally());
    expect(tr.tally()).toEqual(ta.tally());
    expect(meta.clocks).toEqual(sv(a));
    expect(ta.tally().count).toBeGreaterThan(0);
  });

  it('tells a deletion the other side lacks, though the state vectors are equal', () => {
    const a = new Y.Doc();
    const ta = trackDeletions(a);
    a.getText('t').insert(0, 'abcdef');
    const b = new Y.Doc();
    const tb = trackDeletions(b);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    a.getText('t').delete(1, 2);
    expect(sv(a)).toEqual(sv(b));
    expect(isStored({ stateVector: sv(a), deletions: ta.tally() }, { stateVector: sv(b), deletions: tb.tally() })).toBe(false);
    // A different deletion of the same length on the other side does not pass for it either.
    b.getText('t').delete(3, 2);
    expect(tb.tally().count).toBe(ta.tally().count);
    expect(tb.tally().sum).not.toBe(ta.tally().sum);
  });
});
