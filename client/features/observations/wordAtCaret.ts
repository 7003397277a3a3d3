/**
 * What a tag with nothing selected means in the middle of written words: the word at the caret.
 * A tagged line's words run from its marker to the end of the line, so a marker put there took
 * the rest of the line, words already written, the co-therapist's too, while the palette said
 * "Tag what you write next" (walk, 6 Dec: the caret in "quiet" of "JD was quiet when M2 spoke"
 * tagged "quiet when M2 spoke"). The word is what a clinician pointing at it means, and the
 * palette names it before anything is written.
 */
import type { ResolvedPos } from '@tiptap/pm/model';

const WORD_CHAR = /[\p{L}\p{N}]/u;
const BREAK = '\n';
/** A mention chip ("@M2"): words of the line, though no word of its own to tag. */
const CHIP = '\uFFFC';

/** Where, around the caret at `$at`, the word it is in or touches sits in the document; the word after it when it touches none. */
function wordAround(text: string, offset: number): { from: number; to: number } | null {
  const isWord = (i: number) => WORD_CHAR.test(text[i] ?? '');
  // Inside a word or after it (and its full stop or comma), that word; at the start of one, that
  // one; else the next on the line.
  let before = offset;
  while (before > 0 && /[^\s\p{L}\p{N}\n\uFFFC]/u.test(text[before - 1] ?? '')) before--;
  let at = isWord(before - 1) ? before - 1 : isWord(offset) ? offset : -1;
  if (at < 0) {
    for (let i = offset; i < text.length && text[i] !== BREAK; i++) {
      if (isWord(i)) {
        at = i;
        break;
      }
    }
  }
  if (at < 0) return null;
  // A word keeps its inner apostrophes and hyphens ("didn't", "self-harm").
  const inWord = (i: number) => isWord(i) || (/['’-]/.test(text[i] ?? '') && isWord(i - 1) && isWord(i + 1));
  let from = at;
  let to = at + 1;
  while (from > 0 && inWord(from - 1)) from--;
  while (to < text.length && inWord(to)) to++;
  return { from, to };
}

/**
 * The word to tag for a caret at `$at` with words after it on its line, not at the line's start;
 * null where a tag there is a tagged line: at the end of the words, on an empty line, or at the
 * start of a written line (a line of its own is opened before it: writeObservation's startsWrittenLine).
 */
export function wordAtCaret($at: ResolvedPos): { from: number; to: number } | null {
  if (!$at.parent.isTextblock) return null;
  // One character for each leaf, so offsets in the text are offsets in the block.
  const text = $at.parent.textBetween(0, $at.parent.content.size, undefined, (leaf) => (leaf.type.name === 'hardBreak' ? BREAK : CHIP));
  const offset = $at.parentOffset;
  const lineEnd = text.indexOf(BREAK, offset);
  const atLineStart = offset === 0 || text[offset - 1] === BREAK;
  const rest = text.slice(offset, lineEnd < 0 ? undefined : lineEnd);
  if (atLineStart || !(WORD_CHAR.test(rest) || rest.includes(CHIP))) return null;
  const word = wordAround(text, offset);
  return word && { from: $at.start() + word.from, to: $at.start() + word.to };
}
