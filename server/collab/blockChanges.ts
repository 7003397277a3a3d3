import type * as Y from 'yjs';
import { attributeMark, attributeOfKind, BLOCK_KINDS, blockMark } from '../../shared/note/formattedWords';
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
 * (null), as formatChanges reports marks; and per attribute of a block kind they stand in before and
 * after whose value differs (A's level-2 heading written again as a level-4 one), with the values
 * (`AttributeValues`, under attributeMark).
 */
export function blockChanges(doc: Y.Doc, was: readonly string[], copy: readonly { client: number; clock: number; len: number }[], text: string): FormatChange[] {
  const out: FormatChange[] = [];
  let offset = 0;
  for (const r of copy) {
    const now = copyBlocks(doc, r);
    const piece = { client: r.client, clock: r.clock, len: r.len, text: text.slice(offset, offset + r.len) };
    for (const kind of now ? BLOCK_KINDS : []) {
      const on = now!.includes(kind);
      if (on !== was.includes(kind)) out.push({ ...piece, mark: blockMark(kind), value: on ? {} : null });
    }
    for (const change of now ? attributesChanged(was, now) : []) out.push({ ...piece, ...change });
    offset += r.len;
  }
  return out;
}

/** What one change of a block's attribute did: the value it had and the value it was given (as attributeValue reads them). */
export interface AttributeValues {
  from: unknown;
  to: unknown;
}

/**
 * The attributes whose values differ between the kinds of `was` and `now`, of blocks the words
 * stand in before and after (put into or taken out of a heading, the kind's own label says it).
 * Words struck before attribute kinds were recorded have none in `was`: nothing is compared.
 */
function attributesChanged(was: readonly string[], now: readonly string[]): { mark: string; value: AttributeValues }[] {
  const out: { mark: string; value: AttributeValues }[] = [];
  for (const kind of was) {
    const before = attributeOfKind(kind);
    if (!before || !now.includes(before.node)) continue;
    const after = now.map(attributeOfKind).find((a) => a?.node === before.node && a.attribute === before.attribute);
    if (after && JSON.stringify(after.value) !== JSON.stringify(before.value)) out.push({ mark: attributeMark(before.node, before.attribute), value: { from: before.value, to: after.value } });
  }
  return out;
}
