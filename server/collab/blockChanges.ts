import type * as Y from 'yjs';
import { BLOCK_KINDS, blockMark } from '../../shared/note/formattedWords';
import type { FormatChange } from './formatChanges';
import { copyBlocks } from './wordMarks';

/**
 * Another's words moved into blocks of other kinds, as format changes of their copy: a paragraph
 * made a quote or a heading, a line joined onto a heading, a list item lifted out of its list.
 * y-prosemirror writes a block whose kind changes as a new block holding a copy of the words,
 * which the struck-words step carries to their writer; the new kind is the mover's doing, and a
 * client's words made a quote read as the client's own (attack8 F4, 1 Dec).
 *
 * `was`: the kinds the original characters stood in (looksIndex's `blocks`); `copy`: the new characters, in
 * reading order, reading `text`. One change per range and kind put on (value `{}`) or taken off
 * (null), as formatChanges reports marks.
 */
export function blockChanges(doc: Y.Doc, was: readonly string[], copy: readonly { client: number; clock: number; len: number }[], text: string): FormatChange[] {
  const out: FormatChange[] = [];
  let offset = 0;
  for (const r of copy) {
    const now = copyBlocks(doc, r);
    for (const kind of now ? BLOCK_KINDS : []) {
      const on = now!.includes(kind);
      if (on !== was.includes(kind)) out.push({ client: r.client, clock: r.clock, len: r.len, text: text.slice(offset, offset + r.len), mark: blockMark(kind), value: on ? {} : null });
    }
    offset += r.len;
  }
  return out;
}
