import type { ReviewBlock, ReviewRun } from '../../shared/domain/review';
import { MENTION_NODE } from '../../shared/ydoc/sessionDoc';
import { mentionText } from '../../shared/note/mention';

/** A piece of a text block's content: a run of text (`mention`: a member mention read as its text), or a hard line break. */
export type InlineItem = { kind: 'run'; run: ReviewRun; mention?: true } | { kind: 'break' };

const INLINE_NODES = new Set(['text', 'hardBreak', MENTION_NODE]);

/**
 * The inline content of a text block (paragraph, heading, …) in order, or null for a block that
 * holds blocks (lists, quotes). A paragraph with a hard break or a member mention has no runs of
 * its own: the note stores it as text, break (or mention), text children. A mention reads as the
 * text "@M2", written by whoever wrote the text next to it (an element carries no author of its
 * own), so quotes, exports and author labels treat it as words of that passage.
 */
export function inlineItems(block: ReviewBlock): InlineItem[] | null {
  if (block.runs.length > 0) return block.runs.map((run) => ({ kind: 'run', run }));
  if (!block.children.every((c) => INLINE_NODES.has(c.type))) return null;
  const items = block.children.flatMap((c): (InlineItem | { kind: 'mention'; label: string; authorId: string | null | undefined })[] => {
    if (c.type === 'hardBreak') return [{ kind: 'break' }];
    if (c.type === MENTION_NODE) return [{ kind: 'mention', label: mentionText(c.attrs), authorId: c.authorId }];
    return c.runs.map((run) => ({ kind: 'run', run }));
  });
  // The nearest run before each item, and after it (two passes: a search from every mention was quadratic).
  const before: (InlineItem | undefined)[] = [];
  const after: (InlineItem | undefined)[] = [];
  for (let i = 0, last: InlineItem | undefined; i < items.length; i++) {
    before[i] = last;
    if (items[i]!.kind === 'run') last = items[i] as InlineItem;
  }
  for (let i = items.length - 1, next: InlineItem | undefined; i >= 0; i--) {
    after[i] = next;
    if (items[i]!.kind === 'run') next = items[i] as InlineItem;
  }
  return items.map((item, i): InlineItem => {
    if (item.kind !== 'mention') return item;
    const near = before[i] ?? after[i];
    // Its writer where known (a co-therapist's mention in my words is hers, attack6), else the words' around it.
    const author = item.authorId !== undefined ? item.authorId : near?.kind === 'run' ? near.run.authorId : null;
    return { kind: 'run', mention: true, run: { text: item.label, marks: [], authorId: author, lateAt: null, observationIds: [], struck: null, formatted: null, client: -1, clock: -1 } };
  });
}
