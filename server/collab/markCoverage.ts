import * as Y from 'yjs';
import { isCovered, type DeleteSet } from '../../shared/protocol/storedState';
import type { ObservationMarkWrite } from './updateFacts';

/** A struct of the update or of the note, by id (updateEffects' lookup). */
type Lookup = (id: Y.ID) => Y.Item | Y.GC | Y.Skip | null;

/**
 * Bound on the characters' runs one new mark is followed over. A mark the editor writes covers a
 * line or a paste; one that would reach further is counted as covering what it reached.
 */
const MAX_STEPS = 10_000;

const key = (client: number, clock: number) => `${client}:${clock}`;

/**
 * What an update would newly put under each observation among the words already in the note.
 * A mark covers the characters after an opening of it (a format item whose value names an
 * observation) up to the next format item of the same mark. An update extends one by opening it
 * (a new format item) or by deleting what ended it (a closing, or another observation's opening).
 * In the editor's own writes (a paragraph split or joined, a paste, the mark reopened after a
 * character typed at its end) what follows is new characters or ones already under that
 * observation. A co-therapist's update that puts another therapist's observation on words it did
 * not cover (the author's own words, or anyone's) is what the observation guard refuses.
 *
 * Cheap: it follows each extension through the note, placing the update's items by their
 * origins, without applying anything. It can count too much where the same update also ends the
 * mark anew (typing over a selection that crosses its end closes it before the new words): the
 * guard then asks newlyCovered, which is exact. Existing items deleted by the update are not
 * counted (they will not show).
 */
export function coverageOf(doc: Y.Doc, opens: Y.Item[], mark: string, lookup: Lookup, isNew: (item: Y.Item) => boolean, updateItems: Iterable<Y.Item>, ds: DeleteSet): ObservationMarkWrite[] {
  const deletedNow = (item: Y.Item) => isCovered(ds.clients.get(item.id.client) ?? [], item.id.clock, item.id.clock + item.length);
  /**
   * The observation in force just left of an existing item, before the update (`after`: once its
   * deletions are made): the nearest opening or closing there.
   */
  const before = (item: Y.Item, after = false): string | null => {
    for (let left = item.left; left; left = left.left) {
      if (left.deleted || !(left.content instanceof Y.ContentFormat) || left.content.key !== mark || (after && deletedNow(left))) continue;
      return observationId(left.content.value);
    }
    return null;
  };
  // An opening the update also deletes (the editor's sync can write and remove one in a transaction) opens nothing.
  const starts = opens.filter((open) => !deletedNow(open)).map((open) => ({ id: observationId((open.content as Y.ContentFormat).value)!, from: open }));
  for (const item of deletedFormats(doc, ds, mark)) {
    const extended = before(item, true);
    if (extended !== null && extended !== observationId((item.content as Y.ContentFormat).value)) starts.push({ id: extended, from: item });
  }
  if (starts.length === 0) return [];
  // Items the update inserts right after another one (its left origin), as Yjs will place them.
  const insertedAfter = new Map<string, Y.Item>();
  for (const item of updateItems) {
    if (item.origin && !insertedAfter.has(key(item.origin.client, item.origin.clock))) insertedAfter.set(key(item.origin.client, item.origin.clock), item);
  }
  const next = (item: Y.Item): Y.Item | null => {
    const inserted = insertedAfter.get(key(item.id.client, item.id.clock + item.length - 1));
    if (inserted) return inserted;
    if (!isNew(item)) return item.right;
    const right = item.rightOrigin ? lookup(item.rightOrigin) : null;
    return right instanceof Y.Item ? right : null;
  };
  return starts.map(({ id, from }) => {
    let existingChars = 0;
    let steps = 0;
    for (let item = next(from); item; item = next(item)) {
      if (++steps > MAX_STEPS) break;
      const content = item.content;
      const gone = item.deleted || deletedNow(item);
      if (content instanceof Y.ContentFormat) {
        if (content.key === mark && !gone) break;
        continue;
      }
      if (isNew(item) || gone || !item.countable) continue;
      if (before(item) !== id) existingChars += item.length;
    }
    return { id, existingChars };
  });
}

/** The note's formats of `mark` that the update's delete set removes (still there before it). */
function deletedFormats(doc: Y.Doc, ds: DeleteSet, mark: string): Y.Item[] {
  const out: Y.Item[] = [];
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const end = Y.getState(doc.store, client);
    for (const r of ranges) {
      if (r.clock >= end) continue;
      for (let i = Y.findIndexSS(structs, r.clock); i < structs.length && structs[i]!.id.clock < r.clock + r.len; i++) {
        const s = structs[i]!;
        if (s instanceof Y.Item && !s.deleted && s.content instanceof Y.ContentFormat && s.content.key === mark) out.push(s);
      }
    }
  }
  return out;
}

/** The observation id a value of the mark names (`{ id }`), or null for a closing. */
export function observationId(value: unknown): string | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * Exactly how many characters already in `doc` `update` would newly put under each observation
 * (those it would): the update applied to a copy of the note, and the characters under each
 * observation compared before and after. A copy of the note costs time in proportion to its
 * size, so the guard asks only when coverageOf found another therapist's observation reaching
 * existing words.
 */
export function newlyCovered(doc: Y.Doc, update: Uint8Array, root: string, mark: string): Map<string, number> {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const known = Y.decodeStateVector(Y.encodeStateVector(copy));
  const before = charsUnder(copy.getXmlFragment(root), mark);
  Y.applyUpdate(copy, update);
  const out = new Map<string, number>();
  for (const [id, chars] of charsUnder(copy.getXmlFragment(root), mark)) {
    const had = before.get(id);
    let count = 0;
    for (const [client, clock] of chars.values()) if (clock < (known.get(client) ?? 0) && !had?.has(key(client, clock))) count++;
    if (count > 0) out.set(id, count);
  }
  copy.destroy();
  return out;
}

/** The characters (client, clock) under each observation in the text below `fragment`. */
function charsUnder(fragment: Y.XmlFragment, mark: string): Map<string, Map<string, [number, number]>> {
  const out = new Map<string, Map<string, [number, number]>>();
  const visit = (type: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (!(type instanceof Y.XmlText)) {
      for (const child of type.toArray()) if (!(child instanceof Y.XmlHook)) visit(child);
      return;
    }
    let current: string | null = null;
    for (let item = type._start; item; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentFormat) {
        if (item.content.key === mark) current = observationId(item.content.value);
      } else if (current !== null && item.countable) {
        const chars = out.get(current) ?? new Map<string, [number, number]>();
        out.set(current, chars);
        for (let i = 0; i < item.length; i++) chars.set(key(item.id.client, item.id.clock + i), [item.id.client, item.id.clock + i]);
      }
    }
  };
  visit(fragment);
  return out;
}
