import type * as Y from 'yjs';
import { readNote, type Block } from '../../shared/note/readNote';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';

/** A character of the note, by its Yjs id. */
interface YId {
  client: number;
  clock: number;
}

/** The blocks that hold text (paragraphs, headings), in reading order. */
function* textBlocks(blocks: Block[]): Generator<Block> {
  for (const block of blocks) {
    if (block.children.length > 0) yield* textBlocks(block.children);
    else yield block;
  }
}

/**
 * The note's own words from the character `start` to the character `end`, both included, one
 * line per block, as the review page's selection reads them. Null when either character is not in
 * the note (deleted, or never written) or `end` does not come after `start`.
 */
export function quotePassage(doc: Y.Doc, start: YId, end: YId): string | null {
  let quote: string | null = null;
  let quoteBlock: Block | null = null;
  for (const block of textBlocks(readNote(sessionDoc(doc).note))) {
    for (const run of block.runs) {
      const offsetOf = (id: YId) => (id.client === run.client && id.clock >= run.clock && id.clock < run.clock + run.text.length ? id.clock - run.clock : -1);
      let from = 0;
      if (quote === null) {
        from = offsetOf(start);
        if (from < 0) continue;
        quote = '';
      } else if (block !== quoteBlock) {
        quote += '\n';
      }
      quoteBlock = block;
      const to = offsetOf(end);
      if (to >= from) return quote + run.text.slice(from, to + 1);
      quote += run.text.slice(from);
    }
  }
  return null;
}
