import * as Y from 'yjs';
import { eachStruct } from './deletedItems';
import { formatKeysOf } from './formatKeys';
import { attributeBefore, blocksAround, canonical, MAX_STEPS, type MarkedRange } from './wordMarks';

// What a transaction deletes: which items, and how the deleted words looked (wordMarks.ts says what a look is for).

/**
 * The look of every character a transaction deletes, as it was before it: read inside the
 * transaction (Yjs drops what deleted items held once it ends), one walk per text node that loses
 * characters. `deletedNow`: whether the transaction deletes an item.
 */
export function deletedLooks(tr: Y.Transaction, deletedNow: (item: Y.Item) => boolean): MarkedRange[] {
  const isNew = (item: Y.Item) => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
  // The characters it deletes, by the text node holding them (a range may be listed twice before the transaction ends).
  const deleted = new Map<Y.XmlText, Set<Y.Item>>();
  for (const [client, ranges] of tr.deleteSet.clients) {
    for (const r of ranges) {
      eachStruct(tr.doc, client, r.clock, r.clock + r.len, (s) => {
        if (!(s instanceof Y.Item) || s.content.constructor !== Y.ContentString || !(s.parent instanceof Y.XmlText) || isNew(s)) return;
        const items = deleted.get(s.parent);
        if (items) items.add(s);
        else deleted.set(s.parent, new Set([s]));
      });
    }
  }
  const out: MarkedRange[] = [];
  const push = (item: Y.Item, marks: string, blocks: string[]) => {
    const last = out.at(-1);
    if (last && last.client === item.id.client && last.clock + last.len === item.id.clock && last.marks === marks && last.blocks === blocks) last.len += item.length;
    else out.push({ client: item.id.client, clock: item.id.clock, len: item.length, marks, blocks });
  };
  // The kinds a deleted line stood in: its attributes as they were (a crafted update may change them in the same breath).
  const attr = attributeBefore(tr, deletedNow);
  for (const [text, items] of deleted) {
    const blocks = blocksAround(text, attr);
    if (formatKeysOf(text).size === 0) {
      // No mark was ever in this line: its words look plain wherever they stand, however long it is.
      const plain = canonical(new Map());
      for (const item of [...items].sort((a, b) => a.id.client - b.id.client || a.id.clock - b.id.clock)) push(item, plain, blocks);
      continue;
    }
    const before = new Map<string, unknown>();
    let marks = canonical(before);
    let steps = 0;
    // Past the bound the deleted words' look is not known (looksIndex: null), and a copy of them is not taken for a move.
    for (let item = (text as unknown as { _start: Y.Item | null })._start; item !== null && ++steps <= MAX_STEPS; item = item.right) {
      const content = item.content;
      if (content.constructor === Y.ContentFormat) {
        const { key, value } = content as Y.ContentFormat;
        if (isNew(item) || (item.deleted && !deletedNow(item))) continue;
        before.set(key, value);
        marks = canonical(before);
        continue;
      }
      if (content.constructor !== Y.ContentString || isNew(item) || !deletedNow(item)) continue;
      push(item, marks, blocks);
    }
  }
  return out;
}

/** Whether an item is one a transaction deletes (its delete set is sorted only once the transaction ends). */
export function deletedIn(tr: Y.Transaction): (item: Y.Item) => boolean {
  // Per client, its ranges by start, with the furthest end of any range so far (they may overlap).
  const sorted = new Map<number, { starts: number[]; reach: number[] }>();
  return (item) => {
    let at = sorted.get(item.id.client);
    if (!at) {
      const ranges = [...(tr.deleteSet.clients.get(item.id.client) ?? [])].sort((a, b) => a.clock - b.clock);
      let reach = 0;
      at = { starts: ranges.map((r) => r.clock), reach: ranges.map((r) => (reach = Math.max(reach, r.clock + r.len))) };
      sorted.set(item.id.client, at);
    }
    // The last range starting before the item's end: deleted if any range up to it reaches into the item.
    let lo = 0;
    let hi = at.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at.starts[mid]! < item.id.clock + item.length) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && at.reach[lo - 1]! > item.id.clock;
  };
}
