import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldLog } from '../../server/collab/compaction';
import { StoredSnapshot } from '../../server/collab/storedSnapshot';
import type { LogEntry } from '../../server/persistence/ports';
import { tallyDeleteSet, trackDeletions } from '../../shared/protocol/storedState';

/** A note typed over `seconds` seconds (a paragraph a second, some words deleted later), as a log. */
function typedLog(seconds: number): { source: Y.Doc; log: LogEntry[] } {
  const source = new Y.Doc();
  const log: LogEntry[] = [];
  let at = 0;
  source.on('update', (data: Uint8Array) => log.push({ seq: log.length + 1, at, data }));
  const note = source.getXmlFragment('note');
  for (let s = 0; s < seconds; s++) {
    at = s * 1_000;
    const text = new Y.XmlText();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    note.push([p]);
    for (const ch of `paragraph ${s} of the session`) text.insert(text.length, ch);
    if (s >= 2) ((note.get(s - 2) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 10);
  }
  return { source, log };
}

const openedFrom = (log: LogEntry[]) => {
  const folded = foldLog({ docId: 'note', snapshot: null, tail: log, resolutionMs: 1_000 });
  const stored = new StoredSnapshot(folded.state, folded.meta, log.at(-1)!.seq);
  const meta = stored.meta(() => {}, () => {})!;
  return { folded, stored, meta };
};

describe('a compacted note built from its stored history', () => {
  it('is built in slices once a writer comes, into exactly the snapshot, with the delete tally Saved reports', async () => {
    const { source, log } = typedLog(40);
    const { folded, stored, meta } = openedFrom(log);
    const doc = new Y.Doc();
    const tally = trackDeletions(doc);
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    await new Promise<void>((built) => stored.prebuild(doc, async () => folded.merged, (err) => {
      if (err !== undefined) throw err;
      built();
    }));
    // One transaction per stored second of typing, and finishing it applies nothing more.
    expect(transactions).toBe(folded.merged.length);
    expect(stored.complete(doc)).toBe(true);
    expect(transactions).toBe(folded.merged.length);
    expect(stored.complete(doc)).toBe(false);
    expect(doc.getXmlFragment('note').toString()).toBe(source.getXmlFragment('note').toString());
    expect(Y.decodeStateVector(Y.encodeStateVector(doc))).toEqual(meta.clocks);
    expect(tally.tally()).toEqual(meta.deletions);
    expect(tally.tally()).toEqual(tallyDeleteSet(Y.createDeleteSetFromStructStore(source.store)));
    // Once built, the meta no longer stands in for the document, and the stored bytes are let go
    // (an open note kept them beside its Y.Doc): nothing is answered from them any more.
    expect(stored.meta(() => {}, () => {})).toBeNull();
    expect(() => stored.forSync(meta).whole()).toThrow('let go');
  });

  it('finishes at once when an edit needs the document first, and fills in from the snapshot what the history lacks', async () => {
    const { source, log } = typedLog(10);
    const { folded, stored } = openedFrom(log);
    const doc = new Y.Doc();
    const tally = trackDeletions(doc);
    let built = false;
    // The history misses its last second: the snapshot brings it.
    stored.prebuild(doc, async () => folded.merged.slice(0, -1), (err) => {
      if (err !== undefined) throw err;
      built = true;
    });
    await Promise.resolve();
    expect(stored.complete(doc)).toBe(true);
    expect(built).toBe(false);
    expect(doc.getXmlFragment('note').toString()).toBe(source.getXmlFragment('note').toString());
    expect(tally.tally()).toEqual(tallyDeleteSet(Y.createDeleteSetFromStructStore(source.store)));
  });

  it('leaves out of the build what was stored after the snapshot', async () => {
    const { log } = typedLog(6);
    const { folded, stored } = openedFrom(log.slice(0, -3));
    const doc = new Y.Doc();
    const later = log.slice(-3);
    await new Promise<void>((built) => stored.prebuild(doc, async () => [...folded.merged, ...later], (err) => {
      if (err !== undefined) throw err;
      built();
    }));
    expect(stored.complete(doc)).toBe(true);
    const snapshotDoc = new Y.Doc();
    Y.applyUpdate(snapshotDoc, folded.state);
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(snapshotDoc));
  });
});
