/**
 * What a span observation's quote takes from its paragraph. A member mention is a node the mark
 * does not cover, so "@M1 and @M2 both described panic" tagged whole read "and both described
 * panic" and named no one (walk, 4 Dec): the quote is the marked pieces, with the mentions among
 * them and right beside them (past spaces). The member notes (memberObservations.ts) and the
 * review and exports (observationQuotes.ts) read it alike.
 */

/** A piece of a paragraph as a span observation sees it. */
export type SpanPiece = 'marked' | 'mention' | 'space' | 'other';

/** The indexes of `pieces` the quote takes, in order; none when nothing is marked. */
export function spanQuoted(pieces: readonly SpanPiece[]): number[] {
  const first = pieces.indexOf('marked');
  if (first < 0) return [];
  const last = pieces.lastIndexOf('marked');
  /** The last mention from `from` on, stepping by `step` over mentions and spaces (or `from - step`: none). */
  const beside = (from: number, step: 1 | -1): number => {
    let end = from - step;
    for (let i = from; pieces[i] === 'mention' || pieces[i] === 'space'; i += step) if (pieces[i] === 'mention') end = i;
    return end;
  };
  const taken: number[] = [];
  for (let i = beside(first - 1, -1); i <= beside(last + 1, 1); i++) if (pieces[i] !== 'other') taken.push(i);
  return taken;
}
