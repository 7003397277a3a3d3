import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { HeldBudget, HeldUpdates } from '../../server/collab/heldUpdates';

/** A sender as the held updates see it: open or not, and its account. */
const sender = (accountId: string) => ({ isOpen: true, principal: { accountId, name: accountId, color: '#000', role: 'therapist' as const, loginId: `login-${accountId}` } });
type Sender = ReturnType<typeof sender>;

/** An update of `client` that the note cannot take yet: its second transaction, without the first. */
function afterAGap(client: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getText('t').insert(0, 'first');
  const before = Y.encodeStateVector(doc);
  doc.getText('t').insert(5, text);
  return Y.encodeStateAsUpdate(doc, before);
}

// Every held update was judged again after every update the note took: 1.1 s a keystroke with
// 256 held updates of 6,000 items (attack, 2 Dec). A held one can go in only once the note gains
// the clocks it lacks.
describe('updates held until what they wait for arrives', () => {
  it('are due again only when the note gained the clocks they lack', () => {
    const held = new HeldUpdates<Sender>(new HeldBudget());
    const clocks = new Map<number, number>();
    const clock = (c: number) => clocks.get(c) ?? 0;
    const b = sender('b');
    held.add(b, afterAGap(7, 'waits on seven'), clock);
    held.add(b, afterAGap(8, 'waits on eight'), clock);
    const building = afterAGap(9, 'held while the note is built');
    held.add(b, building, null);
    // Another client's typing changes nothing for them: only the one held for the build is due.
    clocks.set(100, 40);
    expect(held.due(clock).map((h) => h.update)).toEqual([building]);
    clocks.set(8, 5);
    expect(held.due(clock).map((h) => h.update.byteLength)).toEqual([afterAGap(8, 'waits on eight').byteLength, building.byteLength]);
    // Judged again and still waiting: not due until the note moves on again.
    const [eight] = held.due(clock).filter((h) => h.waitsOn !== null);
    held.replace(eight!, eight!.update, clock);
    expect(held.due(clock).filter((h) => h.waitsOn !== null)).toEqual([]);
  });

  it('are not due when a client whose words they sit next to types on, only when what they lack arrives', () => {
    // Re-check, 2 Dec: held letters placed inside the co-therapist's words were judged again at
    // every keystroke of hers (725 ms each with 70 held).
    const note = new Y.Doc();
    note.clientID = 50;
    note.getText('t').insert(0, 'hello');
    const b = new Y.Doc();
    b.clientID = 7;
    Y.applyUpdate(b, Y.encodeStateAsUpdate(note));
    b.getText('t').insert(5, 'x');
    const before = Y.encodeStateVector(b);
    b.getText('t').insert(2, 'y');
    const inside = Y.encodeStateAsUpdate(b, before);
    const clocks = new Map<number, number>([[50, 5]]);
    const clock = (c: number) => clocks.get(c) ?? 0;
    const held = new HeldUpdates<Sender>(new HeldBudget());
    held.add(sender('b'), inside, clock);
    for (let typed = 6; typed < 20; typed++) {
      clocks.set(50, typed);
      expect(held.due(clock)).toEqual([]);
    }
    clocks.set(7, 1);
    expect(held.due(clock).map((h) => h.update)).toEqual([inside]);
  });

  it('are bounded per account across notes, and what a connection leaves behind frees its share', () => {
    const budget = new HeldBudget(10_000);
    const [note1, note2] = [new HeldUpdates<Sender>(budget), new HeldUpdates<Sender>(budget)];
    const b = sender('b');
    const other = sender('a');
    const update = afterAGap(7, 'x'.repeat(3_000));
    expect([note1.add(b, update, () => 0), note1.add(b, update, () => 0), note2.add(b, update, () => 0)]).toEqual([true, true, true]);
    expect(note2.add(b, update, () => 0)).toBe(false);
    expect(note2.add(other, update, () => 0)).toBe(true);
    note1.forget(b);
    expect(note2.add(b, update, () => 0)).toBe(true);
    expect(note2.add(b, update, () => 0)).toBe(true);
    expect(note2.add(b, update, () => 0)).toBe(false);
  });

  it('drop those of a connection that closed', () => {
    const budget = new HeldBudget(10_000);
    const held = new HeldUpdates<Sender>(budget);
    const b = { ...sender('b'), isOpen: true };
    held.add(b, afterAGap(7, 'x'.repeat(3_000)), null);
    b.isOpen = false;
    expect(held.due(() => 0)).toEqual([]);
    expect(held.size).toBe(0);
    expect(new HeldUpdates<Sender>(budget).add(sender('b'), afterAGap(7, 'x'.repeat(9_000)), null)).toBe(true);
  });

  it('take at most their account’s judging time each window, and say when to ask again', () => {
    // Re-check, 2 Dec: letters held after her next characters were judgeable again at each of her
    // keystrokes, one going in each time: judged whole every time, 70 of them cost 0.3–0.8 s each.
    let now = 0;
    const budget = new HeldBudget(10_000, { ms: 100, windowMs: 1000 }, () => now);
    const held = new HeldUpdates<Sender>(budget);
    const [b, c] = [sender('b'), sender('c')];
    held.add(b, afterAGap(7, 'b waits'), null);
    held.add(c, afterAGap(8, 'c waits'), null);
    const [first] = held.due(() => 0);
    held.judged(first!, 120);
    now = 300;
    expect(held.due(() => 0).map((h) => h.conn)).toEqual([c]);
    expect(held.retryIn).toBe(700);
    now = 1000;
    expect(held.due(() => 0).map((h) => h.conn)).toEqual([b, c]);
    expect(held.retryIn).toBeNull();
  });
});
