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
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type Selection } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey, type ProsemirrorBinding } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/** A caret (an empty selection) as Yjs holds it while a co-therapist's change goes in. */
type HeldCaret = Y.RelativePosition;

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
  return heldAt(doc, absolutePositionToRelativePosition(selection.head, binding.type, binding.mapping) as Y.RelativePosition);
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
          const at = relativePositionToAbsolutePosition(doc, binding.type, held, binding.mapping);
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
