/**
 * Which runs of the reviewed note are a tagged line's words (written after its marker), so the
 * review underlines them with the marker, as the live editor does. Same rule as the quotes
 * (`shared/note/lineWords.ts`).
 */
import type { ReviewBlock, ReviewRun } from '../../../shared/domain/review';
import { lineWordPieces, type LinePiece } from '../../../shared/note/lineWords';
import { MENTION_NODE } from '../../../shared/ydoc/sessionDoc';

/** A run, a line break (`run` null), or a member mention (its text, part of the line). */
type Item = { run: ReviewRun } | { run: null; mention?: string };

/** A text block's runs, line breaks and mentions in order, or null for a block that holds blocks. */
export function inlineItems(block: ReviewBlock): Item[] | null {
  if (block.runs.length > 0) return block.runs.map((run) => ({ run }));
  if (!block.children.every((c) => c.type === 'text' || c.type === 'hardBreak' || c.type === MENTION_NODE)) return null;
  return block.children.flatMap((c): Item[] => {
    if (c.type === 'hardBreak') return [{ run: null }];
    if (c.type === MENTION_NODE) return [{ run: null, mention: `@${String(c.attrs.id ?? '')}` }];
    return c.runs.map((run) => ({ run }));
  });
}

export function lineWordRuns(blocks: ReviewBlock[], lineIds: ReadonlySet<string>): Map<ReviewRun, string> {
  const words = new Map<ReviewRun, string>();
  const isLine = (id: string) => lineIds.has(id);
  const visit = (block: ReviewBlock): void => {
    const items = inlineItems(block);
    if (items === null) return block.children.forEach(visit);
    const pieces: LinePiece[] = items.map((i): LinePiece => {
      // Words someone deleted are no words of the line (as in the quotes), though they show in their place.
      if (i.run) return { kind: 'run', text: i.run.struck ? '' : i.run.text, observationIds: i.run.observationIds };
      return i.mention === undefined ? { kind: 'break' } : { kind: 'run', text: i.mention, observationIds: [] };
    });
    for (const id of new Set(items.flatMap((i) => i.run?.observationIds ?? []))) {
      if (!isLine(id)) continue;
      const range = lineWordPieces(pieces, id, isLine);
      for (const item of range ? items.slice(range.from, range.to) : []) if (item.run && !item.run.struck && !words.has(item.run)) words.set(item.run, id);
    }
  };
  blocks.forEach(visit);
  return words;
}
