import type { ReviewBlock } from '../../shared/domain/review';
import { inlineItems } from './noteInline';

/**
 * The words of each observation as the note now reads. A tagged span's words are the text its mark
 * covers. A tagged line's mark covers only the label the editor wrote ("Affect · M2 — "); its words
 * are what the therapist wrote on that line besides the label, and are empty when nothing was.
 */
export function observationQuotes(blocks: ReviewBlock[], lineIds: ReadonlySet<string>): Map<string, string> {
  const quotes = new Map<string, string>();
  const visit = (block: ReviewBlock): void => {
    const items = inlineItems(block);
    if (items === null) return block.children.forEach(visit);
    const ids = new Set(items.flatMap((i) => (i.kind === 'run' ? i.run.observationIds : [])));
    for (const id of ids) {
      const isLine = lineIds.has(id);
      const text = items
        .map((i) => (i.kind === 'break' ? (isLine ? '\n' : '') : i.run.observationIds.includes(id) !== isLine ? i.run.text : ''))
        .join('');
      const words = isLine ? text.trim() : text;
      const before = quotes.get(id);
      quotes.set(id, before === undefined ? words : `${before}${isLine ? '\n' : ''}${words}`);
    }
  };
  blocks.forEach(visit);
  return quotes;
}
