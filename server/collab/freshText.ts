import * as Y from 'yjs';
import type { StruckWords } from '../../shared/note/struckWords';
import { charBefore, UNKNOWN, type CharId } from './readingOrder';

/** New characters of one client: `len` from `clock` on. */
export interface NewRange {
  client: number;
  clock: number;
  len: number;
}

/** Struck words the sender wrote again in their place (an undo), to carry instead of strike. */
export interface Restored {
  key: string;
  copy: NewRange[];
  author: string;
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
   * The sender's struck words (`mine`: hers by the client of their first character, in clock
   * order, asked for only when needed) that new characters next to them read again: an undo.
   */
  undone(mine: () => Map<number, [string, StruckWords][]>): Restored[];
}

type Position = { item: Y.Item; offset: number };

const keyOf = (c: CharId | null) => (c === null ? 'start' : `${c.client}:${c.clock}`);

/** How far an undo's words may stand from what they restore: past this many deleted items, not looked at. */
const UNDO_REACH = 32;

export function freshText(doc: Y.Doc, inserted: readonly NewRange[], isSenders: (client: number) => boolean): FreshText {
  // The new characters by client (Yjs merges them into the item before them when they continue it).
  const ranges = new Map<number, NewRange[]>();
  const starts = new Map<string, Position>();
  const aliases = new Map<string, string>();
  for (const r of inserted) {
    const structs = isSenders(r.client) ? doc.store.clients.get(r.client) : undefined;
    if (!structs) continue;
    const list = ranges.get(r.client);
    if (list) list.push(r);
    else ranges.set(r.client, [r]);
  }
  /** How many new characters follow from `clock` of `client` on (0: it is not new). */
  const newFrom = (client: number, clock: number) => {
    const r = ranges.get(client)?.find((x) => clock >= x.clock && clock < x.clock + x.len);
    return r ? r.clock + r.len - clock : 0;
  };
  for (const r of inserted) {
    const structs = ranges.has(r.client) ? doc.store.clients.get(r.client)! : null;
    for (let i = structs ? Y.findIndexSS(structs, r.clock) : 0; structs && i < structs.length && structs[i]!.id.clock < r.clock + r.len; i++) {
      const s = structs[i]!;
      if (!(s instanceof Y.Item) || s.deleted || !(s.content instanceof Y.ContentString)) continue;
      const offset = Math.max(0, r.clock - s.id.clock);
      // Where each stretch of new characters starts, by the character before it.
      // A stretch starts where the character before it in its text node is not new (or there is none).
      const inNode = offset > 0 ? { client: s.id.client, clock: s.id.clock + offset - 1 } : lastCharLeftOf(s);
      if (inNode && newFrom(inNode.client, inNode.clock) > 0) continue;
      const left = charBefore(s, offset);
      if (left !== UNKNOWN) starts.set(keyOf(left), { item: s, offset });
    }
  }

  /** The new characters from `at` on, up to `length` of them, with where reading stopped. */
  const read = (at: Position, length: number): { text: string; ranges: NewRange[]; end: Position } => {
    let { item, offset } = at;
    let text = '';
    const out: NewRange[] = [];
    for (let next: Y.Item | null = item; next && text.length < length; next = next.right, offset = 0) {
      item = next;
      if (item.deleted || item.content instanceof Y.ContentFormat) continue;
      const clock = item.id.clock + offset;
      const fresh = item.content instanceof Y.ContentString ? Math.min(newFrom(item.id.client, clock), item.length - offset) : 0;
      if (fresh === 0) break;
      const n = Math.min(fresh, length - text.length);
      text += (item.content as Y.ContentString).str.slice(offset, offset + n);
      out.push({ client: item.id.client, clock, len: n });
      if (offset + n < item.length) return { text, ranges: out, end: { item, offset: offset + n } };
    }
    return { text, ranges: out, end: { item: item.right ?? item, offset: item.right ? 0 : item.length } };
  };

  return {
    take(after, text, lasts) {
      if (after === UNKNOWN) return null;
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
    undone(mine) {
      // Only where new words stand next to deleted ones (most typing does not): the index is built then.
      const nextToDeleted = [...starts.values()].filter((at) => at.item.left?.deleted || at.item.right?.deleted);
      if (nextToDeleted.length === 0) return [];
      const byClient = mine();
      if (byClient.size === 0) return [];
      const restored: Restored[] = [];
      const used = new Set<string>();
      for (const at of nextToDeleted) {
        // Yjs writes an undone deletion next to what it restores: look past deleted items on both sides.
        const near: Y.Item[] = [];
        for (const step of [(i: Y.Item) => i.left, (i: Y.Item) => i.right]) {
          let n = 0;
          for (let i = step(at.item); i && n < UNDO_REACH; i = step(i), n++) {
            if (!i.deleted && newFrom(i.id.client, i.id.clock) > 0) continue;
            if (!i.deleted) break;
            near.push(i);
          }
        }
        for (const item of near) {
          const hit = (byClient.get(item.id.client) ?? []).find(([key, e]) => !used.has(key) && e.clock < item.id.clock + item.length && e.clock + e.text.length > item.id.clock);
          if (!hit) continue;
          const found = read(at, hit[1].text.length);
          if (found.text !== hit[1].text) continue;
          used.add(hit[0]);
          restored.push({ key: hit[0], copy: found.ranges, author: hit[1].author });
          break;
        }
      }
      return restored;
    },
  };
}

/** The last visible character left of `item` in its own text node, or null (bounded like charBefore). */
function lastCharLeftOf(item: Y.Item): CharId | null {
  let steps = 0;
  for (let left = item.left; left && steps < 1000; left = left.left, steps++) {
    if (!left.deleted && left.content instanceof Y.ContentString) return { client: left.id.client, clock: left.id.clock + left.length - 1 };
  }
  return null;
}
