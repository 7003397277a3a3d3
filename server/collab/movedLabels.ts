import type * as Y from 'yjs';
import { formattedKey, type FormattedWords } from '../../shared/note/formattedWords';
import type { LateEntry } from '../../shared/domain/observation';
import { formattedOver, lateEntriesOver } from './recordIndexes';

/** Characters an update moved: `from` (the deleted originals) read again as `to` (new characters, in order). */
export interface MovedChars {
  from: { client: number; clock: number; len: number };
  to: readonly { client: number; clock: number; len: number }[];
}

/** A label on a stretch of one client's characters (a formatting entry, a late-entry range). */
type Ranged = { client: number; clock: number; len: number };

/**
 * Labels on characters follow them when the words are moved (a line split or joined, an undo):
 * the copy gets the same label on its own characters, and a label whose words all moved goes (its
 * characters are deleted; splitting and joining a line again and again must not pile copies up).
 * Without it a co-therapist's strike-through lost its label as soon as anyone pressed Enter in the
 * line, and words joined after the end were labelled late entries of whoever joined them (walks,
 * 1 Dec). Call inside the server's transaction.
 */
export function followMoves(formatted: Y.Map<FormattedWords>, lateEntries: Y.Map<LateEntry>, moves: readonly MovedChars[]): void {
  if (moves.length === 0) return;
  if (formatted.size > 0) {
    const over = formattedOver(formatted);
    move(formatted, moves, (from) => over(from.client, from.clock, from.clock + from.len), formattedKey, (e, a, b) => ({ text: e.text.slice(a, b) }));
  }
  if (lateEntries.size > 0) {
    const over = lateEntriesOver(lateEntries);
    move(lateEntries, moves, (from) => over(from.client, from.clock, from.clock + from.len), (e) => `${e.client}:${e.clock}`, () => ({}));
  }
}

function move<T extends Ranged>(map: Y.Map<T>, moves: readonly MovedChars[], over: (from: Ranged) => T[], key: (e: T) => string, slice: (e: T, from: number, to: number) => Partial<T>): void {
  const copies: T[] = [];
  const gone: T[] = [];
  for (const { from, to } of moves) {
    for (const e of over(from)) {
      if (e.clock >= from.clock && e.clock + e.len <= from.clock + from.len) gone.push(e);
      // The label's characters as offsets into the moved stretch, then onto the copy's ranges.
      const start = Math.max(e.clock, from.clock) - from.clock;
      const end = Math.min(e.clock + e.len, from.clock + from.len) - from.clock;
      let offset = 0;
      for (const r of to) {
        const a = Math.max(start, offset);
        const b = Math.min(end, offset + r.len);
        const inEntry = from.clock - e.clock;
        if (a < b) copies.push({ ...e, client: r.client, clock: r.clock + a - offset, len: b - a, ...slice(e, a + inEntry, b + inEntry) });
        offset += r.len;
      }
    }
  }
  for (const e of gone) map.delete(key(e));
  for (const e of copies) map.set(key(e), e);
}
