import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Connection } from '../../server/collab/Connection';
import { MAX_COMPUTED_SYNC_ANSWERS, SyncAnswers, WholeNote } from '../../server/collab/syncAnswer';
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

/** The text a client holds after taking in `frames` (sync messages, in order). */
function received(frames: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const frame of frames) {
    const d = decoding.createDecoder(frame);
    expect(decoding.readVarUint(d)).toBe(0);
    decoding.readVarUint(d);
    Y.applyUpdate(doc, decoding.readVarUint8Array(d));
  }
  return doc.getText('t').toString();
}

describe('SyncAnswers', () => {
  it('encodes the whole note once, and sends the changes since before it to everyone who lacks most of the note', () => {
    const { doc, big, small } = note();
    const answers = new SyncAnswers(new WholeNote(doc));
    const ask = (held: Map<number, number>) => answers.answer(connection(), held, Y.encodeStateVector(held), answers.ofDoc(doc));
    const first = ask(new Map());
    expect(first).toHaveLength(1);
    expect(ask(new Map([[small, 10], [999, 5]]))[0]).toBe(first[0]);
    expect(ask(new Map([[big, 150]]))[0]).toBe(first[0]);
    doc.getText('t').insert(0, 'z');
    const after = ask(new Map());
    // The change, then the state encoded before it (the same bytes object: not encoded again).
    expect(after).toHaveLength(2);
    expect(after[1]).toBe(first[0]);
    expect(received(after)).toBe(doc.getText('t').toString());
    // Holding more than half: only what is missing is encoded.
    const missing = ask(new Map([[big, 300]]));
    expect(missing).toHaveLength(1);
    expect(missing[0]!.byteLength).toBeLessThan(60);
  });

  it('computes answers for one connection MAX_COMPUTED_SYNC_ANSWERS times, then refuses', () => {
    const { doc, big, small } = note();
    const answers = new SyncAnswers(new WholeNote(doc));
    const conn = connection();
    const held = new Map([[big, 300], [small, 10]]);
    const ask = () => answers.answer(conn, held, Y.encodeStateVector(held), answers.ofDoc(doc));
    for (let i = 0; i < MAX_COMPUTED_SYNC_ANSWERS; i++) ask();
    expect(ask).toThrow(WireError);
    // Whole-note answers are not counted: they cost nothing once encoded.
    expect(received(answers.answer(conn, new Map(), new Uint8Array([0]), answers.ofDoc(doc)))).toHaveLength(310);
  });
});

describe('WholeNote', () => {
  // Attack, 4 Dec: a keystroke and an ask, again and again, had an 8 MB note encoded every round.
  it('encodes the note again only after 1,024 changes (or a quarter of its size), however often it is asked for', () => {
    const { doc } = note();
    const whole = new WholeNote(doc);
    const state = whole.parts()[0];
    for (let i = 1; i <= 1024; i++) {
      doc.getText('t').insert(0, 'k');
      const parts = whole.parts();
      expect(parts[0]).toBe(state);
      expect(parts).toHaveLength(i + 1);
    }
    const rebuilt = new Y.Doc();
    for (const part of whole.parts()) Y.applyUpdate(rebuilt, part);
    expect(rebuilt.getText('t').toString()).toBe(doc.getText('t').toString());
    doc.getText('t').insert(0, 'k');
    const fresh = whole.parts();
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toBe(state);
    const again = new Y.Doc();
    Y.applyUpdate(again, fresh[0]!);
    expect(again.getText('t').toString()).toBe(doc.getText('t').toString());
  });

  it('encodes it again once the changes since come to a quarter of its size', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x'.repeat(2_000_000));
    const whole = new WholeNote(doc);
    const state = whole.parts()[0]!;
    // 400 KB of changes: over 256 KiB, under a quarter of 2 MB.
    for (let i = 0; i < 4; i++) doc.getText('t').insert(0, 'y'.repeat(100_000));
    expect(whole.parts()[0]).toBe(state);
    doc.getText('t').insert(0, 'y'.repeat(120_000));
    expect(whole.parts()[0]).not.toBe(state);
  });

  it('keeps the encoded state once: the state the judge gets is the payload of the frame new pages get', () => {
    const { doc } = note();
    const whole = new WholeNote(doc);
    doc.getText('t').insert(0, 'k');
    const [state] = whole.parts();
    doc.getText('t').insert(0, 'k');
    const frames = whole.frames();
    expect(frames).toHaveLength(2);
    expect(whole.parts()[0]!.buffer).toBe(frames[1]!.buffer);
    expect(whole.parts()[0]).toBe(state);
    expect(received(frames)).toBe(doc.getText('t').toString());
  });
});
