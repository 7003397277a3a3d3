/**
 * A co-therapist's change never leaves this person's selection of words covering other words. The
 * Yjs binding writes the selection back from positions anchored to the note's items; when the
 * change deleted and wrote again the words a selection began in (the blind reveal writes the
 * revealed observations into the note), the anchor fell back to an earlier place, and the
 * selection of "cried briefly" covered the co-therapist's words before it too: the next key
 * deleted both (walk, 6 Dec). After such a change the same words are selected again where they
 * stand inside the selection's new span; when they are not there as they were (she wrote or
 * deleted inside them), the selection becomes a caret at its end, where a key writes and deletes
 * nothing.
 */
import { Extension } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, TextSelection } from '@tiptap/pm/state';
import { isRemoteChange } from './remoteChange';

/** How a leaf inside a line (a mention, a line break) reads in the comparison: one character. */
const LEAF = '\ufffc';

/** Where the last run of text `words` (within one line) lies in [from, to) of `doc`, or null. */
function lastWithin(doc: ProseMirrorNode, from: number, to: number, words: string): { from: number; to: number } | null {
  let found: { from: number; to: number } | null = null;
  doc.nodesBetween(from, to, (node, pos) => {
    if (!node.isTextblock) return true;
    // Each character of the line with its position; leaves count as one.
    const chars: string[] = [];
    const at: number[] = [];
    node.forEach((child, offset) => {
      const start = pos + 1 + offset;
      if (child.isText) for (let i = 0; i < child.text!.length; i++) (chars.push(child.text![i]!), at.push(start + i));
      else (chars.push(LEAF), at.push(start));
    });
    const text = chars.join('');
    for (let i = text.lastIndexOf(words); i >= 0; i = i > 0 ? text.lastIndexOf(words, i - 1) : -1) {
      const start = at[i]!;
      const end = at[i + words.length - 1]! + 1;
      if (start >= from && end <= to && (!found || start > found.from)) {
        found = { from: start, to: end };
        break;
      }
    }
    return false;
  });
  return found;
}

export const SelectionAcrossRemoteEdits = Extension.create({
  name: 'selectionAcrossRemoteEdits',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        appendTransaction: (transactions, before, state) => {
          const was = before.selection;
          const now = state.selection;
          if (was.empty || now.empty || !(was instanceof TextSelection) || !transactions.some(isRemoteChange)) return null;
          const words = before.doc.textBetween(was.from, was.to, '\n', LEAF);
          if (state.doc.textBetween(now.from, now.to, '\n', LEAF) === words) return null;
          const again = words.includes('\n') ? null : lastWithin(state.doc, now.from, now.to, words);
          const selection = again ? TextSelection.create(state.doc, again.from, again.to) : TextSelection.near(state.doc.resolve(now.to), -1);
          return state.tr.setSelection(selection).setMeta('addToHistory', false);
        },
      }),
    ];
  },
});
