import * as Y from 'yjs';
import type { ClientLists } from '../../shared/note/clientLists';
import type { StruckWords } from '../../shared/note/struckWords';
import { charBefore, UNKNOWN, type CharId } from './readingOrder';

/** New characters of one client: `len` from `clock` on. */
export interface NewRange {
  client: number;
  clock: number;
  len: number;
}

/**
 * Struck words the sender wrote again in their place (an undo), to carry instead of strike: the
 * entry under `key`, or its characters [at, at + len) when the undo brought back part of it (her
 * deletion was one entry, her undo steps smaller: she paused while deleting).
 */
export interface Restored {
  key: string;
  copy: NewRange[];
  author: string | null;
  at: number;
  len: number;
}

/**
 * The visible characters an update just wrote under the sender's client ids (read after it was
 * applied), for telling a move or an undo from new words (struckWords.ts).
 */
export interface FreshText {
  /**
   * The new characters reading `text` right after `after` (null: the note's start), as ranges,
   * or null when the update wrote no such copy there. A copy found is used up, and what follows
   * it is then found after each of `lasts` (the original's last character, and for words restored
   * inside a moved line the character before them), so the pieces of a moved line, across its
   * text nodes, are followed one after the other.
   */
  take(after: CharId | null, text: string, lasts: (CharId | null)[]): NewRange[] | null;
  /**
   * The sender's struck words (`mine`: hers whose line stays, by the client of their first
   * character) that new characters next to them read again: an undo.
   */
  undone(mine: ClientLists<StruckWords>, struckIn: StruckIn): Restored[];
}

type Position = { item: Y.Item; offset: number };

/** The sender's struck entries whose line was `line` (a deleted block, by its item's id). */
export type StruckIn = (line: Y.ID) => (readonly [string, StruckWords])[];

const keyOf = (c: CharId | null) => (c === null ? 'start' : `${c.client}:${c.clock}`);

/** How many deleted items next to new words are looked at for the words an undo restores. */
const UNDO_REACH = 32;

export function freshText(doc: Y.Doc, inserted: readonly NewRange[], isSenders: (client: number) => boolean): FreshText {
  // The new characters by client (Yjs merges those continuing an item into it) and where each stretch starts, built when
  // first asked (a move or an undo): a 5 MB paste of 25,000 lines spent ~50 ms of one turn here for nothing (paste bench, 5 Dec).
  const ranges = new Map<number, NewRange[]>();
  const starts = new Map<string, Position>();
  const aliases = new Map<string, string>();
  /** How many new characters follow from `clock` of `client` on (0: it is not new). */
  const newFrom = (client: number, clock: number) => {
    const list = ranges.get(client);
    if (!list) return 0;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid]!;
      if (clock < r.clock) hi = mid - 1;
      else if (clock >= r.clock + r.len) lo = mid + 1;
      else return r.clock + r.len - clock;
    }
    return 0;
  };
  let build = (): void => {
    build = () => undefined; // once: `take` adds starts of its own later
    for (const r of inserted) {
      const structs = isSenders(r.client) ? doc.store.clients.get(r.client) : undefined;
      if (!structs) continue;
      const list = ranges.get(r.client);
      if (list) list.push(r);
      else ranges.set(r.client, [r]);
    }
    // One range per struct the update holds: joined where they continue, so a long paste is one or a few.
    for (const [client, list] of ranges) {
      const joined: NewRange[] = [];
      for (const r of [...list].sort((x, y) => x.clock - y.clock)) {
        const last = joined.at(-1);
        if (last && r.clock <= last.clock + last.len) last.len = Math.max(last.len, r.clock + r.len - last.clock);
        else joined.push({ ...r });
      }
      ranges.set(client, joined);
    }
    for (const r of inserted) {
      const structs = ranges.has(r.client) ? doc.store.clients.get(r.client)! : null;
      for (let i = structs ? Y.findIndexSS(structs, r.clock) : 0; structs && i < structs.length && structs[i]!.id.clock < r.clock + r.len; i++) {
        const s = structs[i]!;
        if (!(s instanceof Y.Item) || s.deleted || !(s.content instanceof Y.ContentString)) continue;
        const offset = Math.max(0, r.clock - s.id.clock);
        // Where each stretch of new characters starts (the character before it in its text node is not new, or there is none).
        const inNode = offset > 0 ? { client: s.id.client, clock: s.id.clock + offset - 1 } : lastCharLeftOf(s);
        if (inNode && newFrom(inNode.client, inNode.clock) > 0) continue;
        const left = charBefore(s, offset);
        if (left !== UNKNOWN) starts.set(keyOf(left), { item: s, offset });
      }
    }
  };

  /**
   * The new characters from `at` on, up to `length` of them, passing over deleted items and marks,
   * with the place right after the last one read (`at` when none was).
   */
  const read = (at: Position, length: number, acrossLines = true): { text: string; ranges: NewRange[]; end: Position } => {
    let text = '';
    const out: NewRange[] = [];
    let end = at;
    let cur: Y.Item | null = at.item;
    let offset = at.offset;
    const crossed = new Set<Position>();
    while (text.length < length) {
      if (!cur) {
        if (!acrossLines) break;
        // The end of a text node: a copy that goes on in the next line starts right after its last character.
        const last = out.at(-1);
        const next = last && starts.get(keyOf({ client: last.client, clock: last.clock + last.len - 1 }));
        if (!next || crossed.has(next)) break;
        crossed.add(next);
        cur = next.item;
        offset = next.offset;
        continue;
      }
      if (offset >= cur.length || cur.deleted || cur.content instanceof Y.ContentFormat) {
        cur = cur.right;
        offset = 0;
        continue;
      }
      const clock = cur.id.clock + offset;
      const fresh = cur.content instanceof Y.ContentString ? Math.min(newFrom(cur.id.client, clock), cur.length - offset) : 0;
      if (fresh === 0) break;
      const n = Math.min(fresh, length - text.length);
      text += (cur.content as Y.ContentString).str.slice(offset, offset + n);
      out.push({ client: cur.id.client, clock, len: n });
      offset += n;
      end = { item: cur, offset };
    }
    return { text, ranges: out, end };
  };

  return {
    take(after, text, lasts) {
      if (after === UNKNOWN) return null;
      build();
      let at = starts.get(keyOf(after));
      // A copy that ended its text node goes on in the next one: after the copy's last character.
      if (at && read(at, 1).text === '') at = undefined;
      at ??= starts.get(aliases.get(keyOf(after)) ?? '');
      if (!at || text === '') return null;
      const found = read(at, text.length);
      if (found.text !== text) return null;
      const copyLast = found.ranges.at(-1)!;
      for (const last of lasts) {
        starts.set(keyOf(last), found.end);
        aliases.set(keyOf(last), keyOf({ client: copyLast.client, clock: copyLast.clock + copyLast.len - 1 }));
      }
      return found.ranges;
    },
    undone(mine, struckIn) {
      const restored: Restored[] = [];
      build();
      const used = new Set<string>();
      // A whole line undone is written as a new line beside the deleted one (walk, 4 Dec): the
      // words struck with that line, read again from the new line's start.
      const undoneLine = (at: Position): boolean => {
        for (const entry of besideLines(at.item).flatMap((line) => struckIn(line.id))) {
          if (used.has(entry[0])) continue;
          const stretch = read(at, entry[1].text.length, false);
          if (stretch.text !== entry[1].text) continue;
          used.add(entry[0]);
          restored.push({ key: entry[0], copy: stretch.ranges, author: entry[1].author, at: 0, len: stretch.text.length });
          return true;
        }
        return false;
      };
      // A stretch longer than every struck run of the sender's restores none: reading stops there
      // (reading each stretch whole, from each of thousands of starts in one line, took 1.2 s: attack8).
      const longest = mine.longest();
      for (const at of starts.values()) {
        if (at.offset === 0 && lastCharLeftOf(at.item) === null && undoneLine(at)) continue;
        // The stretch of new words, and the deleted items right at its two ends (through deleted
        // items only): Yjs writes an undone deletion right next to what it restores. In its own
        // line only: reading on across lines from every start of a long paste is quadratic.
        const stretch = read(at, longest + 1, false);
        if (stretch.text.length > longest) continue;
        const before = at.offset > 0 ? [] : tombstones(at.item.left, (i) => i.left);
        const { item: endItem, offset: endOffset } = stretch.end;
        const after = endOffset < endItem.length ? [] : tombstones(endItem.right, (i) => i.right);
        if (before.length === 0 && after.length === 0) continue;
        for (const item of [...before, ...after]) {
          const over = mine.over(item.id.client, item.id.clock, item.id.clock + item.length).filter(([key]) => !used.has(key));
          const whole = over.find(([, e]) => e.text === stretch.text);
          const hit = whole ? { entry: whole, at: 0 } : item === after[0] ? undonePart(over, item, stretch.text) : null;
          if (!hit) continue;
          used.add(hit.entry[0]);
          restored.push({ key: hit.entry[0], copy: stretch.ranges, author: hit.entry[1].author, at: hit.at, len: stretch.text.length });
          break;
        }
      }
      return restored;
    },
  };
}

/**
 * The entry of `over` of which `text` is the part whose first character is the deleted `item`
 * (right after the new characters), and where in it. Yjs writes an undone deletion right before
 * its originals; a letter typed into the gap is written before the first of them, so it reads
 * as a part only when it is that first letter again.
 */
function undonePart(over: (readonly [string, StruckWords])[], item: Y.Item, text: string): { entry: readonly [string, StruckWords]; at: number } | null {
  for (const entry of over) {
    const at = item.id.clock - entry[1].clock;
    if (at >= 0 && entry[1].text.slice(at, at + text.length) === text) return { entry, at };
  }
  return null;
}

/** The last visible character left of `item` in its own text node, or null (bounded like charBefore). */
function lastCharLeftOf(item: Y.Item): CharId | null {
  let steps = 0;
  for (let left = item.left; left && steps < 1000; left = left.left, steps++) {
    if (!left.deleted && left.content instanceof Y.ContentString) return { client: left.id.client, clock: left.id.clock + left.length - 1 };
  }
  return null;
}

/** The deleted lines right beside the line that holds `item` (bounded like tombstones). */
function besideLines(item: Y.Item): Y.Item[] {
  const line = item.parent instanceof Y.XmlText && item.parent.parent instanceof Y.XmlElement ? item.parent.parent._item : null;
  return line ? [...tombstones(line.left, (i) => i.left), ...tombstones(line.right, (i) => i.right)] : [];
}

/** The deleted items from `from` on (stepping with `step`), up to the first one not deleted. */
function tombstones(from: Y.Item | null, step: (i: Y.Item) => Y.Item | null): Y.Item[] {
  const out: Y.Item[] = [];
  for (let i = from; i && i.deleted && out.length < UNDO_REACH; i = step(i)) out.push(i);
  return out;
}
