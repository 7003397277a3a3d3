import type { Node as PmNode } from '@tiptap/pm/model';

/** Inline nodes (a mention, a line break) as one character when lines are read as text. */
export const LEAF = '\ufffc';

/** The words around a caret, as held before a co-therapist's change (caretOnRemoteEdits.ts). */
export interface CaretWords {
  /** Up to CONTEXT characters of its line before it, and after it. */
  before: string;
  after: string;
  /** How many of the last characters of `before` this device wrote, one stretch up to the caret. */
  ownTail: number;
}

/** How many characters around a caret a copy must keep for the caret to follow it. */
const MIN_MATCH = 6;
/** Lines on each side of the caret's old place searched for its words. */
const NEARBY_LINES = 3;

/** Where a caret goes: `at`, after writing `missing` there (its own last letters the copy lacks). */
export interface Followed {
  at: number;
  missing: string;
}

/**
 * Where the words around a caret read on best after the co-therapist moved them (a split, a join,
 * a quote: a copy of the line as her screen had it), in the lines near `near`. Of the positions
 * after a character `copied` (new in her change), the one whose line text before it ends with
 * most of `before` and after it starts with most of `after`; the nearest of equals. Her copy may
 * lack the last letters typed here after she made it (they went with the old line): then the
 * copy ends with `before` less some of its own tail, and those letters are `missing`, to be
 * written again there (walk, 1 Dec: "…keeps typin" quoted, the "g" and the rest gone, and the
 * caret sent to a "g" earlier in the line). Null when no position keeps more of the words than
 * `near` does, or fewer than MIN_MATCH of them. Words she merely deleted (no copy) leave the
 * caret where Yjs puts it.
 */
export function followWords(pm: PmNode, { before, after, ownTail }: CaretWords, near: number, copied: (pos: number) => boolean): Followed | null {
  if (before === '') return null;
  const lines: { node: PmNode; pos: number }[] = [];
  pm.descendants((node, pos) => {
    if (node.isTextblock) lines.push({ node, pos });
    return !node.isTextblock;
  });
  let here = lines.findIndex(({ node, pos }) => near <= pos + node.nodeSize);
  if (here < 0) here = lines.length - 1;
  // `kept`: how much of `before` (its first `upTo` characters) reads on before `offset`.
  const score = (text: string, offset: number, upTo: number) => {
    const kept = common(text.slice(0, offset), before.slice(0, upTo), -1);
    return { kept, score: kept + common(text.slice(offset), after, 1) };
  };
  let best: (Followed & { score: number }) | null = null;
  for (const { node, pos } of lines.slice(Math.max(0, here - NEARBY_LINES), here + NEARBY_LINES + 1)) {
    const text = node.textBetween(0, node.content.size, undefined, LEAF);
    for (let offset = 1; offset <= text.length; offset++) {
      // All of `before`, or less up to all of its own tail (the letters her copy may lack).
      for (let upTo = before.length; upTo >= Math.max(1, before.length - ownTail); upTo--) {
        if (text[offset - 1] !== before[upTo - 1]) continue;
        const { kept, score: s } = score(text, offset, upTo);
        if (kept < Math.min(upTo, MIN_MATCH)) continue;
        const at = positionInBlock(node, pos + 1, offset);
        if (!copied(at)) break;
        const missing = before.slice(upTo);
        if (!best || s > best.score || (s === best.score && (missing.length < best.missing.length || (missing.length === best.missing.length && Math.abs(at - near) < Math.abs(best.at - near))))) best = { at, missing, score: s };
        break;
      }
    }
  }
  const $near = pm.resolve(Math.min(near, pm.content.size));
  const nearScore = $near.parent.isTextblock ? score($near.parent.textBetween(0, $near.parent.content.size, undefined, LEAF), $near.parent.textBetween(0, $near.parentOffset, undefined, LEAF).length, before.length).score : 0;
  return best && best.score > nearScore ? { at: best.at, missing: best.missing } : null;
}

/** How many characters `a` and `b` share at their ends (`-1`) or starts (`1`). */
function common(a: string, b: string, side: -1 | 1): number {
  let n = 0;
  while (n < a.length && n < b.length && (side === 1 ? a[n] === b[n] : a[a.length - 1 - n] === b[b.length - 1 - n])) n++;
  return n;
}

/** The document position of text offset `offset` (leaves counted as one character) in a textblock whose content starts at `start`. */
function positionInBlock(block: PmNode, start: number, offset: number): number {
  let left = offset;
  let at = start;
  block.forEach((child) => {
    if (left <= 0) return;
    const size = child.isText ? child.text!.length : 1;
    const step = Math.min(size, left);
    at += child.isText ? step : child.nodeSize;
    left -= step;
  });
  return at;
}
