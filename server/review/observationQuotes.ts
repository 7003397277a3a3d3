import type { ReviewBlock } from '../../shared/domain/review';
import { lineWords, type LinePiece } from '../../shared/note/lineWords';
import { inlineItems } from './noteInline';

/**
 * The words of each observation as the note now reads. A tagged span's words are the text its mark
 * covers. A tagged line's mark covers only the marker the editor wrote ("Affect · M2 — "); its
 * words are what the therapist wrote after the marker on that line (`shared/note/lineWords.ts`,
 * which the live page uses too), and are empty when nothing was.
 */
export function observationQuotes(blocks: ReviewBlock[], lineIds: ReadonlySet<string>): Map<string, string> {
  const quotes = new Map<string, string>();
  const isLine = (id: string) => lineIds.has(id);
  const visit = (block: ReviewBlock): void => {
    // Words someone deleted are no longer the note's: they quote nothing.
    const items = inlineItems(block)?.filter((i) => i.kind === 'break' || i.run.struck === null);
    if (items === undefined) return block.children.forEach(visit);
    const pieces: LinePiece[] = items.map((i) => (i.kind === 'break' ? i : { kind: 'run', text: i.run.text, observationIds: i.run.observationIds }));
    const ids = new Set(items.flatMap((i) => (i.kind === 'run' ? i.run.observationIds : [])));
    for (const id of ids) {
      const words = isLine(id) ? lineWords(pieces, id, isLine) ?? '' : items.map((i) => (i.kind === 'run' && i.run.observationIds.includes(id) ? i.run.text : '')).join('');
      const before = quotes.get(id);
      quotes.set(id, before === undefined ? words : `${before}${isLine(id) ? '\n' : ''}${words}`);
    }
  };
  blocks.forEach(visit);
  return quotes;
}
