import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Connection } from '../../server/collab/Connection';
import { MAX_COMPUTED_SYNC_ANSWERS, SyncAnswers } from '../../server/collab/syncAnswer';
import { WireError } from '../../server/collab/wire';

/** A note of two writers: `big` wrote 300 characters, `small` 10. */
function note(): { doc: Y.Doc; big: number; small: number } {
  const doc = new Y.Doc();
  const write = (text: string) => {
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(doc));
    writer.getText('t').insert(0, text);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(writer));
    return writer.clientID;
  };
  return { doc, big: write('x'.repeat(300)), small: write('y'.repeat(10)) };
}

// Each connection is only ever compared by identity here.
const connection = () => ({}) as Connection;

describe('SyncAnswers', () => {
  it('encodes the whole note once per version, for everyone who lacks most of it', () => {
    const { doc, big, small } = note();
    const answers = new SyncAnswers(doc);
    const ask = (held: Map<number, number>) => answers.answer(connection(), held, Y.encodeStateVector(held), answers.ofDoc(doc));
    const first = ask(new Map());
    expect(ask(new Map([[small, 10], [999, 5]]))).toBe(first);
    expect(ask(new Map([[big, 150]]))).toBe(first);
    doc.getText('t').insert(0, 'z');
    const after = ask(new Map());
    expect(after).not.toBe(first);
    expect(after.byteLength).toBeGreaterThan(first.byteLength);
    // Holding more than half: only what is missing is encoded.
    expect(ask(new Map([[big, 300]])).byteLength).toBeLessThan(60);
  });

  it('computes answers for one connection MAX_COMPUTED_SYNC_ANSWERS times, then refuses', () => {
    const { doc, big, small } = note();
    const answers = new SyncAnswers(doc);
    const conn = connection();
    const held = new Map([[big, 300], [small, 10]]);
    const ask = () => answers.answer(conn, held, Y.encodeStateVector(held), answers.ofDoc(doc));
    for (let i = 0; i < MAX_COMPUTED_SYNC_ANSWERS; i++) ask();
    expect(ask).toThrow(WireError);
    // Whole-note answers are not counted: they cost nothing once encoded.
    expect(answers.answer(conn, new Map(), new Uint8Array([0]), answers.ofDoc(doc)).byteLength).toBeGreaterThan(300);
  });
});
