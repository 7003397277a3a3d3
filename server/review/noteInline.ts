import type { ReviewBlock, ReviewRun } from '../../shared/domain/review';

/** A piece of a text block's content: a run of text, or a hard line break. */
export type InlineItem = { kind: 'run'; run: ReviewRun } | { kind: 'break' };

/**
 * The inline content of a text block (paragraph, heading, …) in order, or null for a block that
 * holds blocks (lists, quotes). A paragraph with a hard break has no runs of its own: the note
 * stores it as text, break, text children.
 */
export function inlineItems(block: ReviewBlock): InlineItem[] | null {
  if (block.runs.length > 0) return block.runs.map((run) => ({ kind: 'run', run }));
  if (!block.children.every((c) => c.type === 'text' || c.type === 'hardBreak')) return null;
  return block.children.flatMap((c): InlineItem[] => (c.type === 'hardBreak' ? [{ kind: 'break' }] : c.runs.map((run) => ({ kind: 'run', run }))));
}
