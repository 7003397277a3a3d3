import * as Y from 'yjs';
import { MENTION_NODE } from '../../shared/ydoc/sessionDoc';

/** One character of the note by its Yjs id. */
export interface CharId {
  client: number;
  clock: number;
}

/**
 * The visible character just before `offset` of `item` in reading order: earlier in its line,
 * else the last one of the lines before (across paragraphs, list items and quotes), or null at the
 * note's start. A member mention counts as a character (its element's id). Deleted items and marks are passed over. What a move is told by: words taken out
 * and written again after the same character were only moved (a line split or joined).
 */
export function charBefore(item: Y.Item, offset: number): CharId | null {
  if (offset > 0 && !item.deleted && item.content instanceof Y.ContentString) return { client: item.id.client, clock: item.id.clock + offset - 1 };
  let steps = 0;
  for (let at: Y.Item | null = item; at; ) {
    for (let left = at.left; left; left = left.left) {
      // Past this many deleted items or marks, too far to tell (a crafted note could make every walk long).
      if (++steps > MAX_STEPS) return UNKNOWN;
      const found = lastChar(left);
      if (found) return found;
    }
    // The start of its list: go on before the element (or text node) that holds it.
    at = (at.parent as Y.AbstractType<unknown>)._item;
  }
  return null;
}

const MAX_STEPS = 1000;

/** What charBefore answers when the walk was too long: no character, and never the same as another. */
export const UNKNOWN: CharId = Object.freeze({ client: -1, clock: -1 });

/** The last visible character in `item` (a run of text, or an element's whole content), or null. */
function lastChar(item: Y.Item): CharId | null {
  if (item.deleted) return null;
  if (item.content instanceof Y.ContentString) return { client: item.id.client, clock: item.id.clock + item.length - 1 };
  if (!(item.content instanceof Y.ContentType)) return null;
  // A member mention reads as one: words written again after another mention are no move (attack, 1 Dec).
  if (item.content.type instanceof Y.XmlElement && item.content.type.nodeName === MENTION_NODE) return { client: item.id.client, clock: item.id.clock };
  let last: Y.Item | null = item.content.type._start;
  while (last?.right) last = last.right;
  for (; last; last = last.left) {
    const found = lastChar(last);
    if (found) return found;
  }
  return null;
}

