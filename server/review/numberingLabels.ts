import type { ReviewBlock } from '../../shared/domain/review';
import { attributeOfKind } from '../../shared/note/formattedWords';

/**
 * A numbered list's numbering changed by another (its start, or a, b, c for 1, 2, 3) is one fact
 * of the whole list: it is labelled once, on the first of the list's lines that carries it, per
 * person and change. On every item it said the same thing as often (walk, 6 Dec: "numbering set
 * to start at 7 by Blair Chen" twice on a two-item list, in the review and both exports). Lists
 * numbered inside it label their own numbering (they are left to their own call).
 */
export function numberingLabelledOnce(list: ReviewBlock): ReviewBlock {
  const said = new Set<string>();
  const visit = (block: ReviewBlock): ReviewBlock => ({
    ...block,
    runs: block.runs.map((run) => {
      if (!run.formatted) return run;
      const by = run.formatted.by;
      const changes = run.formatted.changes.filter((c) => {
        if (attributeOfKind(c.mark)?.node !== 'orderedList') return true;
        const key = `${by} ${c.mark}`;
        if (said.has(key)) return false;
        said.add(key);
        return true;
      });
      return { ...run, formatted: changes.length === 0 ? null : { ...run.formatted, changes } };
    }),
    children: block.children.map((child) => (child.type === 'orderedList' ? child : visit(child))),
  });
  return visit(list);
}
