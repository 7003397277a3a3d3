import * as Y from 'yjs';
import { byClient } from '../../shared/note/byClient';
import { attributeKinds, BLOCK_KINDS } from '../../shared/note/formattedWords';
import { formatKeysOf } from './formatKeys';

/*
 * The look of words (their marks, the observation's included), for telling a move from a
 * restyled copy. The server takes words deleted and written again in the same place (a line
 * split or joined, an undo) for the same words, carried to their writer; attack7 (1 Dec) wrote A's
 * "not " again with a strike-through in one update, and the record showed A's own struck word.
 * A copy is carried only if it looks as the words did. The observation's mark counts since
 * attack16 (2 Dec): B wrote A's tagged words again without her mark, or with it over fewer of
 * them, and it was carried as a move: her observation lost its words, with no trace of his hand.
 */

/** Where the look of a stretch of characters changes: from offset `at` on, `marks` (canonical). */
export interface MarkSpan {
  at: number;
  marks: string;
}

/**
 * Characters of one client whose look a transaction read: `len` from `clock` on, with `marks`, in
 * blocks of these kinds (`blocks`: BLOCK_KINDS around their line, sorted).
 */
export interface MarkedRange {
  client: number;
  clock: number;
  len: number;
  marks: string;
  blocks: string[];
}

/**
 * Bound on the items of one text node read to find the marks in force at a character (left of a
 * copy, or from the start of a line with deleted words); past it, the look is not known. One
 * deletion read its whole line otherwise: 350 ms a letter in a line of 400,000 pieces, every other
 * note held up meanwhile (attack, 2 Dec).
 */
export const MAX_STEPS = 5_000;

/**
 * What of a mark's value says something about the words: a link's address. Its other attributes
 * (target, rel, class, title) are how the editor opens it, and an editor fills in the ones a
 * client left out when it writes the mark again: B's link sent as `{href}` alone, then written
 * again by A's editor in full, read as "linked by A" (attack8).
 */
export function markMeaning(mark: string, value: unknown): unknown {
  return mark === 'link' && value !== null && typeof value === 'object' ? { href: (value as { href?: unknown }).href } : value;
}

/** One string for a set of marks (name → value), the same however its keys and values were ordered. */
export function canonical(marks: Map<string, unknown>): string {
  const sorted = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify([...marks].filter(([, v]) => v !== null).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sorted(markMeaning(k, v))]));
}

/**
 * Lookups into ranges a transaction read (deletedLooks), by client and clock: `looks`, the look of
 * `len` characters of `client` from `clock` on, as spans, null where one is not among them;
 * `blocks`, the block kinds a character stood in, null when it is not among them.
 */
export function looksIndex(ranges: readonly MarkedRange[]): {
  looks(client: number, clock: number, len: number): MarkSpan[] | null;
  blocks(client: number, clock: number): string[] | null;
} {
  const lists = byClient(ranges);
  return {
    looks(client, clock, len) {
      const list = lists.get(client) ?? [];
      const spans: MarkSpan[] = [];
      for (let at = clock, i = reaching(list, clock); at < clock + len; i++) {
        const r = list[i];
        if (!r || r.clock > at) return null;
        pushSpan(spans, at - clock, r.marks);
        at = r.clock + r.len;
      }
      return spans;
    },
    blocks(client, clock) {
      const list = lists.get(client) ?? [];
      const r = list[reaching(list, clock)];
      return r && r.clock <= clock ? r.blocks : null;
    },
  };
}

/** In ranges sorted by clock, the first that reaches past `clock`. */
function reaching(list: readonly MarkedRange[], clock: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.clock + list[mid]!.len <= clock) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How an element's attribute reads: its value now, or as it was before a transaction (attributeBefore). */
export type AttributeReader = (element: Y.XmlElement, attribute: string) => unknown;

const attributeNow: AttributeReader = (element, attribute) => element.getAttribute(attribute);

/**
 * The BLOCK_KINDS around a line's text, sorted: the line's own kind (a heading, a code block) and
 * those of the blocks holding it (a quote, a list), with the attribute kinds (attributeKinds) of
 * the innermost block of each kind: the list that numbers the line, not one around it. Reads
 * parents only, so a deleted line's too, while the transaction deleting it runs (`attr`: read the
 * attributes as they were before it, attributeBefore).
 */
export function blocksAround(text: Y.XmlText, attr: AttributeReader = attributeNow): string[] {
  const kinds = new Set<string>();
  for (let type: unknown = text; type instanceof Y.AbstractType; type = type._item?.parent) {
    if (!(type instanceof Y.XmlElement) || !BLOCK_KINDS.has(type.nodeName) || kinds.has(type.nodeName)) continue;
    kinds.add(type.nodeName);
    const element = type;
    for (const kind of attributeKinds(element.nodeName, (a) => attr(element, a))) kinds.add(kind);
  }
  return [...kinds].sort();
}

/**
 * Reads an element's attribute as it stood before `tr`: its latest value not written by `tr`,
 * unless that was removed before `tr` (Yjs drops what deleted items held only once `tr` ends).
 */
export function attributeBefore(tr: Y.Transaction, deletedNow: (item: Y.Item) => boolean): AttributeReader {
  return (element, attribute) => {
    let item = element._map.get(attribute) ?? null;
    while (item && item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0)) item = item.left;
    if (!item || (item.deleted && !deletedNow(item))) return undefined;
    return item.content.getContent().at(-1);
  };
}

/** The block kinds new characters stand in (see blocksAround); null when they are not in the note's text. */
export function copyBlocks(doc: Y.Doc, r: { client: number; clock: number }): string[] | null {
  const item = Y.getItem(doc.store, Y.createID(r.client, r.clock));
  return item instanceof Y.Item && item.parent instanceof Y.XmlText ? blocksAround(item.parent) : null;
}

/**
 * The look of new characters (a copy, in reading order) as the note shows them now: the marks in
 * force before the first character of each range, then every format item among its characters.
 * Null when the marks in force are too far to read (a line of thousands of items).
 */
export function copyLooks(doc: Y.Doc, copy: readonly { client: number; clock: number; len: number }[]): MarkSpan[] | null {
  const spans: MarkSpan[] = [];
  let offset = 0;
  for (const r of copy) {
    const first = Y.getItem(doc.store, Y.createID(r.client, r.clock));
    if (!(first instanceof Y.Item)) return null;
    const inForce = new Map<string, unknown>();
    let steps = 0;
    // A line that never held a mark has none in force: it is not walked.
    const plainLine = first.parent instanceof Y.AbstractType && formatKeysOf(first.parent).size === 0;
    for (let left = plainLine ? null : first.left; left; left = left.left) {
      if (++steps > MAX_STEPS) return null;
      if (left.deleted || !(left.content instanceof Y.ContentFormat) || inForce.has(left.content.key)) continue;
      inForce.set(left.content.key, left.content.value);
    }
    // Walk the range's characters (Yjs may have split its item), reading formats between them.
    let left = r.len;
    let skip = r.clock - first.id.clock;
    for (let item: Y.Item | null = first; item && left > 0; item = item.right) {
      if (item.content instanceof Y.ContentFormat) {
        if (!item.deleted) inForce.set(item.content.key, item.content.value);
        continue;
      }
      if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
      if (item.id.client !== r.client) return null;
      const n = Math.min(item.length - skip, left);
      pushSpan(spans, offset, canonical(inForce));
      offset += n;
      left -= n;
      skip = 0;
    }
    if (left > 0) return null;
  }
  return spans;
}

/** Spans joined where the look continues, from a run and the run after it (`len`: the first one's length). */
export function joinLooks(a: readonly MarkSpan[] | undefined, len: number, b: readonly MarkSpan[] | undefined): MarkSpan[] | undefined {
  if (!a || !b) return undefined;
  const spans = [...a];
  for (const s of b) pushSpan(spans, s.at + len, s.marks);
  return spans;
}

/** The spans for characters [from, to) of a stretch, from 0. */
export function sliceLooks(spans: readonly MarkSpan[], from: number, to: number): MarkSpan[] {
  const out: MarkSpan[] = [];
  spans.forEach((s, i) => {
    const end = spans[i + 1]?.at ?? Number.POSITIVE_INFINITY;
    if (end > from && s.at < to) pushSpan(out, Math.max(0, s.at - from), s.marks);
  });
  return out;
}

export const sameLooks = (a: readonly MarkSpan[] | null | undefined, b: readonly MarkSpan[] | null | undefined): boolean =>
  !!a && !!b && a.length === b.length && a.every((s, i) => s.at === b[i]!.at && s.marks === b[i]!.marks);

function pushSpan(spans: MarkSpan[], at: number, marks: string): void {
  if (spans.at(-1)?.marks !== marks) spans.push({ at, marks });
}
