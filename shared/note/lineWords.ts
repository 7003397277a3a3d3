/**
 * The words of a tagged line. A therapist who tags at the cursor gets a short marker (the tag's
 * label, carrying the observation's mark) where the cursor was, and writes the observation after
 * it. Its words are what follows the marker on that line: up to a hard line break, the end of the
 * paragraph, or the next tagged line's marker, whichever comes first. The live page, the review
 * and the exports all read a line's words with this one function, so they cannot disagree.
 */

/** The words a tagged line starts with, e.g. "Affect, Nonverbal · M2 — ": its marker, carrying the mark. */
export function lineLabel(tagNames: string[], member: string | null): string {
  return `${tagNames.join(', ')}${member ? ` · ${member}` : ''} — `;
}

/** A piece of a text block's content in order: a run of text with the observations it carries, or a hard line break. */
export type LinePiece = { kind: 'run'; text: string; observationIds: readonly string[] } | { kind: 'break' };

/**
 * Where a line observation's words sit among the pieces: `[from, to)` piece indexes, or null when
 * its marker is not there. `start`: no piece before it carries the marker (a reader that found
 * every marker's place in one pass need not search for each again).
 */
export function lineWordPieces(pieces: readonly LinePiece[], id: string, isLineMarker: (id: string) => boolean, start = 0): { from: number; to: number } | null {
  let first = start;
  while (first < pieces.length && !isRunOf(pieces[first]!, id)) first++;
  if (first >= pieces.length) return null;
  let from = first;
  while (from < pieces.length && isRunOf(pieces[from]!, id)) from++;
  let to = from;
  for (; to < pieces.length; to++) {
    const piece = pieces[to]!;
    if (piece.kind === 'break') break;
    if (piece.observationIds.some((other) => other !== id && isLineMarker(other))) break;
  }
  return { from, to };
}

/** The words written after a line observation's marker on its line (trimmed; '' when none yet), or null when the marker is not in these pieces. */
export function lineWords(pieces: readonly LinePiece[], id: string, isLineMarker: (id: string) => boolean): string | null {
  const range = lineWordPieces(pieces, id, isLineMarker);
  if (!range) return null;
  return pieces
    .slice(range.from, range.to)
    .map((p) => (p.kind === 'run' ? p.text : ''))
    .join('')
    .trim();
}

function isRunOf(piece: LinePiece, id: string): boolean {
  return piece.kind === 'run' && piece.observationIds.includes(id);
}
