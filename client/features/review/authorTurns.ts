/**
 * Where the writer changes within a line of the reviewed note: the runs a print names the writer
 * of. On screen each writer's words have a colour; a black-and-white print or a reader who cannot
 * tell the colours apart lost who wrote what (clinic walk, 4 Dec: print authorship by colour only).
 */
import type { ReviewBlock, ReviewRun } from '../../../shared/domain/review';
import { inlineItems } from './lineWordRuns';

/** Each text block's first run with a writer, and every run whose writer differs from the run before it with one. */
export function authorTurns(blocks: readonly ReviewBlock[]): Set<ReviewRun> {
  const turns = new Set<ReviewRun>();
  const visit = (block: ReviewBlock): void => {
    const items = inlineItems(block);
    if (items === null) return block.children.forEach(visit);
    let writer: string | null = null;
    for (const { run } of items) {
      if (!run?.authorId || run.authorId === writer) continue;
      turns.add(run);
      writer = run.authorId;
    }
  };
  blocks.forEach(visit);
  return turns;
}
