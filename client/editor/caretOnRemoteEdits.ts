/**
 * Where a person's caret stays when the co-therapist's words arrive in the same line: after the
 * character it followed, as Yjs places it (relative positions). The Yjs binding
 * (@tiptap/y-tiptap since 3.0.6) takes any change to the text of the caret's line for a
 * structural one and then places the caret by the line's old offset or by matching its text
 * instead. With both therapists typing at one spot, each one's next letters then went in among the
 * other's ("Barla writes here.en writes there.C" for "Carla writes here." and "Ben writes
 * there.", a clinic walk, 1 Dec: five times in five), and a caret standing in an empty line could
 * land in the next section. The caret is taken as a co-therapist's change starts and put back where
 * Yjs resolves it once the binding has re-rendered the note; where Yjs cannot place it in a line
 * (the line was removed), the binding's own placement stands. What this gives up is the binding's
 * guess for a caret in a block the co-therapist drags elsewhere, which stays where the block was.
 *
 * A line the co-therapist splits or joins is written as its words deleted and copied (Yjs has no
 * move): a caret after words that moved followed neither, and went to where they had been (the end
 * of the first half: the next words typed landed there; walk, 1 Dec). When her change deletes the
 * character before the caret and writes a copy of the words around it nearby, the caret follows
 * the copy (findWords).
 */
import { Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection, type Selection } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * A caret (an empty selection) as Yjs holds it while a co-therapist's change goes in, with the
 * character before it (its Yjs id) and the words around it in its line, to find them again if
 * her change moves them.
 */
interface HeldCaret {
  at: Y.RelativePosition;
  prev: Y.ID | null;
  before: string;
  after: string;
  /** The note's clocks when it was held: characters past them are new (a copy of moved words). */
  clocks: Map<number, number>;
}

/** How many characters on each side of a caret identify its place when its words move. */
const CONTEXT = 24;
/** Inline nodes (a mention, a line break) as one character when lines are read as text. */
const LEAF = '\ufffc';

/** The binding the sync plugin keeps in its state (null before the editor is bound). */
const bindingOf = (state: Parameters<typeof ySyncPluginKey.getState>[0]): ProsemirrorBinding | null =>
  (ySyncPluginKey.getState(state) as { binding?: ProsemirrorBinding } | undefined)?.binding ?? null;

/**
 * Where to hold a caret that stands after the character `after` names (the binding's position,
 * tied to the character on its left). After one of this device's own characters, it stays tied to
 * it: the co-therapist's words typed at the same spot go after the caret, and each one's words
 * stay whole. After someone else's character, it is tied to what follows instead: a caret left at
 * the end of the co-therapist's line stays at the end while she types on, and the next words typed
 * here follow hers instead of splitting her word.
 */
function heldAt(doc: Y.Doc, after: Y.RelativePosition): Y.RelativePosition {
  if (!after.item || after.item.client === doc.clientID) return after;
  const at = Y.createAbsolutePositionFromRelativePosition(after, doc);
  return at ? Y.createRelativePositionFromTypeIndex(at.type, at.index, 0) : after;
}

/** A caret to hold (see heldAt); null for a selection of words, which the binding keeps. */
function caretOf(doc: Y.Doc, binding: ProsemirrorBinding, selection: Selection): HeldCaret | null {
  if (!(selection instanceof TextSelection) || !selection.empty) return null;
  const { $head } = selection;
  const line = $head.parent.textBetween(0, $head.parent.content.size, undefined, LEAF);
  const offset = $head.parent.textBetween(0, $head.parentOffset, undefined, LEAF).length;
  const prev = $head.parentOffset > 0 ? (absolutePositionToRelativePosition($head.pos - 1, binding.type, binding.mapping) as Y.RelativePosition).item : null;
  return {
    at: heldAt(doc, absolutePositionToRelativePosition(selection.head, binding.type, binding.mapping) as Y.RelativePosition),
    prev,
    before: line.slice(Math.max(0, offset - CONTEXT), offset),
    after: line.slice(offset, offset + CONTEXT),
    clocks: Y.decodeStateVector(Y.encodeStateVector(doc)),
  };
}

/** Whether the character `id` names is no longer in the note (deleted, or moved as a copy). */
function gone(doc: Y.Doc, id: Y.ID): boolean {
  const item = Y.getItem(doc.store, id) as Y.Item | Y.GC | undefined;
  return !(item instanceof Y.Item) || item.deleted;
}

/** How many characters around the caret a copy must keep for the caret to follow it. */
const MIN_MATCH = 6;
/** Lines on each side of the caret's old place searched for its words. */
const NEARBY_LINES = 3;

/**
 * Where the words around a caret read on best, in the lines near `near`: of the positions after a
 * character `copied` (new: a copy of moved words), the one whose line text before it ends with
 * most of `before` and after it starts with most of `after` (a split leaves part of the words
 * before the caret in the other half), the nearest of equals. Null when none keeps more of them
 * than `near` does, or fewer than MIN_MATCH. Only copies count: words she merely deleted leave the
 * caret where Yjs puts it.
 */
function findWords(pm: PmNode, { before, after }: HeldCaret, near: number, copied: (pos: number) => boolean): number | null {
  const lines: { node: PmNode; pos: number }[] = [];
  pm.descendants((node, pos) => {
    if (node.isTextblock) lines.push({ node, pos });
    return !node.isTextblock;
  });
  let here = lines.findIndex(({ node, pos }) => near <= pos + node.nodeSize);
  if (here < 0) here = lines.length - 1;
  const score = (text: string, offset: number) => common(text.slice(0, offset), before, -1) + common(text.slice(offset), after, 1);
  let best: { at: number; score: number } | null = null;
  for (const { node, pos } of lines.slice(Math.max(0, here - NEARBY_LINES), here + NEARBY_LINES + 1)) {
    const text = node.textBetween(0, node.content.size, undefined, LEAF);
    for (let offset = 1; offset <= text.length; offset++) {
      if (text[offset - 1] !== before.at(-1)) continue;
      const at = positionInBlock(node, pos + 1, offset);
      if (!copied(at)) continue;
      const candidate = { at, score: score(text, offset) };
      if (!best || candidate.score > best.score || (candidate.score === best.score && Math.abs(at - near) < Math.abs(best.at - near))) best = candidate;
    }
  }
  const $near = pm.resolve(Math.min(near, pm.content.size));
  const nearText = $near.parent.isTextblock ? $near.parent.textBetween(0, $near.parent.content.size, undefined, LEAF) : '';
  const nearScore = $near.parent.isTextblock ? score(nearText, $near.parent.textBetween(0, $near.parentOffset, undefined, LEAF).length) : 0;
  // A few letters in common could be anywhere in a copied line: the caret moves only on a real match.
  return best && best.score > nearScore && best.score >= Math.min(before.length, MIN_MATCH) ? best.at : null;
}

/** How many characters `a` and `b` share at their ends (`-1`) or starts (`1`). */
function common(a: string, b: string, side: -1 | 1): number {
  let n = 0;
  while (n < a.length && n < b.length && (side === 1 ? a[n] === b[n] : a[a.length - 1 - n] === b[b.length - 1 - n])) n++;
  return n;
}

/** The document position of text offset `offset` (leaves counted as one character) in a textblock whose content starts at `start`. */
function positionInBlock(block: PmNode, start: number, offset: number): number {
  let left = offset;
  let at = start;
  block.forEach((child) => {
    if (left <= 0) return;
    const size = child.isText ? child.text!.length : 1;
    const step = Math.min(size, left);
    at += child.isText ? step : child.nodeSize;
    left -= step;
  });
  return at;
}

export const CaretOnRemoteEdits = Extension.create<{ doc: Y.Doc | null }>({
  name: 'caretOnRemoteEdits',
  addOptions: () => ({ doc: null }),
  addProseMirrorPlugins() {
    const doc = this.options.doc;
    if (!doc) return [];
    let held: HeldCaret | null = null;
    return [
      new Plugin({
        key: new PluginKey('caretOnRemoteEdits'),
        appendTransaction(transactions, _before, state) {
          const remote = transactions.some((tr) => {
            const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean; isUndoRedoOperation?: boolean } | undefined;
            return meta?.isChangeOrigin === true && meta.isUndoRedoOperation !== true;
          });
          const binding = bindingOf(state);
          if (!held || !binding) return null;
          // The page's own selection taken in between (SelectionBeforeRemote) is the one to hold.
          if (!remote) {
            if (transactions.some((tr) => tr.selectionSet)) held = caretOf(doc, binding, state.selection);
            return null;
          }
          if (!state.selection.empty) return null;
          let at = relativePositionToAbsolutePosition(doc, binding.type, held.at, binding.mapping);
          // The words before the caret were moved (her split or join): after them where they are now.
          if (held.prev && gone(doc, held.prev)) {
            const { clocks } = held;
            const copied = (pos: number) => {
              const id = (absolutePositionToRelativePosition(pos - 1, binding.type, binding.mapping) as Y.RelativePosition).item;
              return id !== null && id.clock >= (clocks.get(id.client) ?? 0);
            };
            at = findWords(state.doc, held, at ?? state.selection.head, copied) ?? at;
          }
          if (at === null || at > state.doc.content.size || at === state.selection.head || !state.doc.resolve(at).parent.isTextblock) return null;
          return state.tr.setSelection(TextSelection.create(state.doc, at)).setMeta('addToHistory', false);
        },
        view(view) {
          // Taken as a co-therapist's change starts, before the binding re-renders the note.
          const before = (transaction: Y.Transaction) => {
            if (transaction.local || held) return;
            const binding = bindingOf(view.state);
            if (binding) held = caretOf(doc, binding, view.state.selection);
          };
          const after = () => {
            held = null;
          };
          doc.on('beforeTransaction', before);
          doc.on('afterAllTransactions', after);
          return {
            destroy: () => {
              doc.off('beforeTransaction', before);
              doc.off('afterAllTransactions', after);
            },
          };
        },
      }),
    ];
  },
});
