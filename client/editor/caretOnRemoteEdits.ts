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
 * the copy, and letters typed here that her copy lacks are written again there (followWords.ts).
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type Selection } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { LEAF, followWords, type CaretWords } from './followWords';
import { isRemoteChange } from './remoteChange';

/**
 * A caret (an empty selection) as Yjs holds it while a co-therapist's change goes in, with the
 * character before it (its Yjs id) and the words around it in its line, to find them again if
 * her change moves them.
 */
interface HeldCaret extends CaretWords {
  at: Y.RelativePosition;
  prev: Y.ID | null;
  /** The note's clocks when it was held: characters past them are new (a copy of moved words). */
  clocks: Map<number, number>;
}

/** How many characters on each side of a caret identify its place when its words move. */
const CONTEXT = 64;

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

/**
 * A caret to hold (see heldAt); null for a selection of words, which the binding keeps.
 * `isOffline`: this device's offline words, which the connection writes again if her change
 * removed their line (client/collab/offlineWords.ts): not counted in the caret's own tail, so
 * they are not written twice.
 */
function caretOf(doc: Y.Doc, binding: ProsemirrorBinding, selection: Selection, isOffline: (id: Y.ID) => boolean): HeldCaret | null {
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
    ownTail: prev ? ownTail(doc, prev, CONTEXT, isOffline) : 0,
    clocks: Y.decodeStateVector(Y.encodeStateVector(doc)),
  };
}

/**
 * How many characters up to `last` (one stretch of its line's text, read leftwards) this device
 * wrote while connected; at most `max`.
 */
function ownTail(doc: Y.Doc, last: Y.ID, max: number, isOffline: (id: Y.ID) => boolean): number {
  const item = Y.getItem(doc.store, last) as Y.Item | Y.GC | undefined;
  if (!(item instanceof Y.Item) || item.id.client !== doc.clientID || !(item.content instanceof Y.ContentString) || isOffline(last)) return 0;
  let n = last.clock - item.id.clock + 1;
  for (let left = item.left; left && n < max; left = left.left) {
    if (left.deleted || left.content instanceof Y.ContentFormat) continue;
    if (left.id.client !== doc.clientID || !(left.content instanceof Y.ContentString) || isOffline(left.lastId)) break;
    n += left.length;
  }
  return Math.min(n, max);
}

/** Whether the character `id` names is no longer in the note (deleted, or moved as a copy). */
function gone(doc: Y.Doc, id: Y.ID): boolean {
  const item = Y.getItem(doc.store, id) as Y.Item | Y.GC | undefined;
  return !(item instanceof Y.Item) || item.deleted;
}

export const CaretOnRemoteEdits = Extension.create<{ doc: Y.Doc | null; isOffline: (id: Y.ID) => boolean }>({
  name: 'caretOnRemoteEdits',
  addOptions: () => ({ doc: null, isOffline: () => false }),
  addProseMirrorPlugins() {
    const { doc, isOffline } = this.options;
    if (!doc) return [];
    let held: HeldCaret | null = null;
    /** Letters written again after her copy that are on the page and not yet in Yjs (see `update` below). */
    let unwritten = false;
    return [
      new Plugin({
        key: new PluginKey('caretOnRemoteEdits'),
        appendTransaction(transactions, _before, state) {
          const remote = transactions.some(isRemoteChange);
          const binding = bindingOf(state);
          if (!held || !binding) return null;
          // The page's own selection taken in between (SelectionBeforeRemote) is the one to hold.
          if (!remote) {
            if (transactions.some((tr) => tr.selectionSet)) held = caretOf(doc, binding, state.selection, isOffline);
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
            const followed = followWords(state.doc, held, at ?? state.selection.head, copied);
            // The letters typed here that her copy lacks are written again after it, as this person's.
            if (followed?.missing) {
              unwritten = true;
              const tr = state.tr.insertText(followed.missing, followed.at);
              return tr.setSelection(TextSelection.create(tr.doc, followed.at + followed.missing.length)).setMeta('addToHistory', false);
            }
            if (followed) at = followed.at;
          }
          if (at === null || at > state.doc.content.size || at === state.selection.head || !state.doc.resolve(at).parent.isTextblock) return null;
          return state.tr.setSelection(TextSelection.create(state.doc, at)).setMeta('addToHistory', false);
        },
        view(view) {
          // Taken as a co-therapist's change starts, before the binding re-renders the note.
          const before = (transaction: Y.Transaction) => {
            if (transaction.local || held) return;
            const binding = bindingOf(view.state);
            if (binding) held = caretOf(doc, binding, view.state.selection, isOffline);
          };
          const after = () => {
            held = null;
          };
          doc.on('beforeTransaction', before);
          doc.on('afterAllTransactions', after);
          return {
            update: () => {
              if (!unwritten) return;
              unwritten = false;
              // Written while the binding renders her change, inside its lock: it writes nothing into
              // Yjs then, and the letters stood on the page only, until the next change of this page.
              // Her next keystroke came first, the note was rendered again from Yjs, and they were gone
              // (client test). Once the lock is free, an update of the view has the binding write them.
              queueMicrotask(() => view.isDestroyed || view.dispatch(view.state.tr));
            },
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
