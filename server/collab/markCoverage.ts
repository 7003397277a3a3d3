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
 * not cover (the author's own words, or anyone's), or takes it off words it covers, is what the
 * observation guard refuses; where an ending lands inside an observation, or its opening is
 * removed, the entry says `uncovers`.
 *
 * `formats`: the update's new format items of `mark`; `updateItems`: all its new items (listed
 * only when a mark is touched). Cheap: it follows each extension through the note, placing the update's items by their
 * origins, without applying anything. It can count too much where the same update also ends the
 * mark anew (typing over a selection that crosses its end closes it before the new words): the
 * guard then asks newlyCovered, which is exact. Existing items deleted by the update are not
 * counted (they will not show).
 */
export function coverageOf(doc: Y.Doc, formats: Y.Item[], mark: string, lookup: Lookup, isNew: (item: Y.Item) => boolean, updateItems: () => Iterable<Y.Item>, ds: DeleteSet): ObservationMarkWrite[] {
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
  const valueOf = (item: Y.Item) => observationId((item.content as Y.ContentFormat).value);
  /** The observation in force where a new item lands, before the update: after the existing item it follows. */
  const landing = (item: Y.Item): string | null => {
    let left = item.origin ? lookup(item.origin) : null;
    while (left instanceof Y.Item && isNew(left)) left = left.origin ? lookup(left.origin) : null;
    if (!(left instanceof Y.Item)) return null;
    if (!left.deleted && left.content instanceof Y.ContentFormat && left.content.key === mark) return observationId(left.content.value);
    return before(left);
  };
  // A format the update also deletes (the editor's sync can write and remove one in a transaction) does nothing.
  const live = formats.filter((f) => !deletedNow(f));
  const starts = live.filter((f) => valueOf(f) !== null).map((open) => ({ id: valueOf(open)!, from: open, opens: true }));
  // Where an observation may lose words: a new ending (or another opening) inside it, or its opening removed.
  const uncovered = new Set<string>();
  for (const f of live) {
    const inside = landing(f);
    if (inside !== null && inside !== valueOf(f)) uncovered.add(inside);
  }
  for (const item of deletedFormats(doc, ds, mark)) {
    const extended = before(item, true);
    if (extended !== null && extended !== valueOf(item)) starts.push({ id: extended, from: item, opens: false });
    const removed = valueOf(item);
    if (removed !== null && before(item, true) !== removed) uncovered.add(removed);
  }
  const uncovering = [...uncovered].map((id) => ({ id, existingChars: 0, newText: '', uncovers: true, removed: [] }));
  if (starts.length === 0) return uncovering;
  // Items the update inserts right after another one (its left origin), as Yjs will place them.
  const insertedAfter = new Map<string, Y.Item>();
  for (const item of updateItems()) {
    if (item.origin && !insertedAfter.has(key(item.origin.client, item.origin.clock))) insertedAfter.set(key(item.origin.client, item.origin.clock), item);
  }
  const next = (item: Y.Item): Y.Item | null => {
    const inserted = insertedAfter.get(key(item.id.client, item.id.clock + item.length - 1));
    if (inserted) return inserted;
    if (!isNew(item)) return item.right;
    const right = item.rightOrigin ? lookup(item.rightOrigin) : null;
    return right instanceof Y.Item ? right : null;
  };
  return starts.map(({ id, from, opens: opening }) => {
    let existingChars = 0;
    let newText = '';
    let steps = 0;
    for (let item = next(from); item; item = next(item)) {
      if (++steps > MAX_STEPS) break;
      const content = item.content;
      const gone = item.deleted || deletedNow(item);
      if (content instanceof Y.ContentFormat) {
        if (content.key === mark && !gone) break;
        continue;
      }
      if (gone || !item.countable) continue;
      if (!isNew(item)) {
        if (before(item) !== id) existingChars += item.length;
      } else if (opening && content instanceof Y.ContentString) {
        newText += content.str;
      }
    }
    return { id, existingChars, newText, uncovers: false, removed: [] };
  }).concat(uncovering);
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

/** What an update does to one observation's words, exactly (newlyCovered). */
export interface CoverageChange {
  /** Characters already in the note, not under the observation before, under it after. */
  existingText: string;
  /** The update's own characters under it after, one entry per unbroken stretch of them. */
  newStretches: string[];
  /** Characters under it before that are still in the note after, no longer under it. */
  uncoveredChars: number;
}

/**
 * Exactly what `update` would newly put under each observation: the update applied to a copy of
 * the note, and the characters under each observation after it compared with before. A copy of
 * the note costs time in proportion to its size, so the guard asks only when coverageOf found
 * another therapist's observation reaching words it did not cover.
 */
export function newlyCovered(doc: Y.Doc, update: Uint8Array, root: string, mark: string): Map<string, CoverageChange> {
  const copy = new Y.Doc({ gc: false });
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const known = Y.decodeStateVector(Y.encodeStateVector(copy));
  const before = new Map<string, Set<string>>();
  walkMarked(copy.getXmlFragment(root), mark, (id, item) => {
    const chars = before.get(id) ?? new Set<string>();
    before.set(id, chars);
    for (let i = 0; i < item.length; i++) chars.add(key(item.id.client, item.id.clock + i));
  });
  const visibleBefore = Y.snapshot(copy);
  Y.applyUpdate(copy, update);
  const out = new Map<string, CoverageChange>();
  const changeOf = (id: string) => {
    const change = out.get(id) ?? { existingText: '', newStretches: [], uncoveredChars: 0 };
    out.set(id, change);
    return change;
  };
  const after = new Set<string>();
  let last: { id: string; item: Y.Item } | null = null;
  walkMarked(copy.getXmlFragment(root), mark, (id, item) => {
    const change = changeOf(id);
    for (let i = 0; i < item.length; i++) after.add(`${id} ${key(item.id.client, item.id.clock + i)}`);
    if (item.id.clock >= (known.get(item.id.client) ?? 0)) {
      const text = item.content instanceof Y.ContentString ? item.content.str : '';
      // One stretch while the new characters follow each other under the same observation.
      if (last?.id === id && last.item.right === item && last.item.id.clock >= (known.get(last.item.id.client) ?? 0)) change.newStretches[change.newStretches.length - 1] += text;
      else change.newStretches.push(text);
    } else {
      const str = item.content instanceof Y.ContentString ? item.content.str : '';
      for (let i = 0; i < item.length; i++) if (!before.get(id)?.has(key(item.id.client, item.id.clock + i))) change.existingText += str[i] ?? '';
    }
    last = { id, item };
  });
  for (const [id, chars] of before) {
    for (const char of chars) {
      if (after.has(`${id} ${char}`)) continue;
      const [client, clock] = char.split(':').map(Number) as [number, number];
      const item = Y.getItem(copy.store, Y.createID(client, clock)) as Y.Item;
      if (!item.deleted && !swappedAtEdge(item, clock - item.id.clock, visibleBefore, chars)) changeOf(id).uncoveredChars++;
    }
  }
  copy.destroy();
  return out;
}

/**
 * Whether a character left outside its observation reads as one deleted at its edge: the visible
 * character next to it before the update (past marks and what was already deleted) is the same one,
 * outside the observation, and deleted by the update. The editor's sync writes a backspace at the
 * end of tagged words ("went |when") so when its diff keeps the tagged space and deletes the other.
 */
function swappedAtEdge(item: Y.Item, offset: number, visibleBefore: Y.Snapshot, under: Set<string>): boolean {
  const char = (item.content as Y.ContentString).str[offset];
  const wasVisible = (n: Y.Item) => n.id.clock < (visibleBefore.sv.get(n.id.client) ?? 0) && !Y.isDeleted(visibleBefore.ds, n.id);
  const next = (from: Y.Item | null, step: (i: Y.Item) => Y.Item | null): Y.Item | null => {
    let n = from;
    while (n && (!n.countable || !wasVisible(n))) n = step(n);
    return n;
  };
  const sides: [Y.Item | null, boolean][] = [];
  if (offset === item.length - 1) sides.push([next(item.right, (i) => i.right), true]);
  if (offset === 0) sides.push([next(item.left, (i) => i.left), false]);
  return sides.some(([n, rightward]) => {
    const index = rightward ? 0 : (n?.length ?? 1) - 1;
    return !!n?.deleted && n.content instanceof Y.ContentString && n.content.str[index] === char && !under.has(key(n.id.client, n.id.clock + index));
  });
}

/** The text under observation `id` below `fragment`, one line per stretch of it. */
export function textUnder(fragment: Y.XmlFragment, mark: string, id: string): string {
  const lines: string[] = [];
  let last: Y.Item | null = null;
  walkMarked(fragment, mark, (under, item) => {
    if (under !== id || !(item.content instanceof Y.ContentString)) return;
    if (last && last.right === item) lines[lines.length - 1] += item.content.str;
    else lines.push(item.content.str);
    last = item;
  });
  return lines.join('\n');
}

/** Calls `visit` for each visible character run (item) under an observation in the text below `fragment`, in order. */
function walkMarked(fragment: Y.XmlFragment, mark: string, visit: (id: string, item: Y.Item) => void): void {
  const walk = (type: Y.XmlFragment | Y.XmlElement | Y.XmlText) => {
    if (!(type instanceof Y.XmlText)) {
      for (const child of type.toArray()) if (!(child instanceof Y.XmlHook)) walk(child);
      return;
    }
    let current: string | null = null;
    for (let item = type._start; item; item = item.right) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentFormat) {
        if (item.content.key === mark) current = observationId(item.content.value);
      } else if (current !== null && item.countable) {
        visit(current, item);
      }
    }
  };
  walk(fragment);
}
