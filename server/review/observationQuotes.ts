import type { ReviewBlock } from '../../shared/domain/review';
import { lineWordPieces, lineWords, type LinePiece } from '../../shared/note/lineWords';
import { inlineItems, type InlineItem } from './noteInline';
import { spanQuoted, type SpanPiece } from '../../shared/note/spanWords';

/** An observation's words as the note now reads, and whose words they are. */
export interface ObservationQuote {
  quote: string;
  /** Accounts whose (non-blank) words are among them; null: the template's. */
  writers: Set<string | null>;
}

/**
 * The words of each observation as the note now reads. A tagged span's words are the text its mark
 * covers. A tagged line's mark covers only the marker the editor wrote ("Affect · M2 — "); its
 * words are what the therapist wrote after the marker on that line (`shared/note/lineWords.ts`,
 * which the live page uses too), and are empty when nothing was. Who wrote them comes along: a
 * co-therapist may write inside another's tagged words, and the record must not credit those
 * words to the observation's author alone.
 */
export function observationQuotes(blocks: ReviewBlock[], lineIds: ReadonlySet<string>): Map<string, ObservationQuote> {
  const quotes = new Map<string, ObservationQuote>();
  const isLine = (id: string) => lineIds.has(id);
  const visit = (block: ReviewBlock): void => {
    // Words someone deleted are no longer the note's: they quote nothing.
    const items = inlineItems(block)?.filter((i) => i.kind === 'break' || i.run.struck === null);
    if (items === undefined) return block.children.forEach(visit);
    const pieces: LinePiece[] = items.map((i) => (i.kind === 'break' ? i : { kind: 'run', text: i.run.text, observationIds: i.run.observationIds }));
    const ids = new Set(items.flatMap((i) => (i.kind === 'run' ? i.run.observationIds : [])));
    for (const id of ids) {
      const range = isLine(id) ? lineWordPieces(pieces, id, isLine) : null;
      const span = range ? null : spanItems(items, id);
      const words = isLine(id) ? lineWords(pieces, id, isLine) ?? '' : items.map((i, n) => (i.kind === 'run' && span!.has(n) ? i.run.text : '')).join('');
      const runs = items.flatMap((i, n) => (i.kind === 'run' && (range ? n >= range.from && n < range.to : span!.has(n)) ? [i.run] : []));
      const before = quotes.get(id);
      const quote = before === undefined ? words : `${before.quote}${isLine(id) ? '\n' : ''}${words}`;
      const writers = before?.writers ?? new Set<string | null>();
      for (const run of runs) if (/\S/.test(run.text)) writers.add(run.authorId);
      quotes.set(id, { quote, writers });
    }
  };
  blocks.forEach(visit);
  // A mark that starts at the space after a mention quoted "“ went quiet…”" (walk, 4 Dec).
  for (const q of quotes.values()) q.quote = q.quote.trim();
  return quotes;
}

/** The items a span observation quotes: its marked runs, with the mentions that name whom they are about (spanWords.ts). */
function spanItems(items: InlineItem[], id: string): Set<number> {
  const kinds = items.map((i): SpanPiece => {
    if (i.kind !== 'run') return 'other';
    if (i.mention) return 'mention';
    return i.run.observationIds.includes(id) ? 'marked' : i.run.text.trim() === '' ? 'space' : 'other';
  });
  return new Set(spanQuoted(kinds));
}
