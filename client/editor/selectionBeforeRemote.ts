/**
 * A selection made with the browser's own keys (Shift+Home, say) reaches ProseMirror only on the
 * next `selectionchange` event. When the co-therapist's edit arrives first (a slow computer, a
 * busy moment), the Yjs binding remembers the old selection, re-renders the note and writes that
 * old selection back into the page; so does any redraw in between (the co-therapist's caret
 * moving). The person's selection vanishes and the tag shortcut pressed right after sees a bare
 * cursor. So before a co-therapist's text or caret is applied, the editor first takes the page's
 * selection. Only the selection: typed
 * text still waiting to be read is left to ProseMirror (it must go out as the person's own edit).
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type EditorState } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { yCursorPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';

/** ProseMirror's record of the page selection it last read or wrote (internal, stable for years). */
interface SelectionSeen {
  domObserver?: { currentSelection?: { eq(range: Selection): boolean } };
}

/**
 * The page's selection as editor positions, when the person changed it (it differs from the one
 * ProseMirror last read or wrote, and from the editor's) and it lies in the focused note. A page
 * selection that is merely behind the editor's (written once the note has the focus) is not one.
 */
function pendingDomSelection(view: EditorView): { anchor: number; head: number } | null {
  if (view.isDestroyed || !view.hasFocus()) return null;
  const dom = view.dom.ownerDocument.getSelection();
  if (!dom || !dom.anchorNode || !dom.focusNode || !view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return null;
  const seen = (view as unknown as SelectionSeen).domObserver?.currentSelection;
  if (!seen || seen.eq(dom)) return null;
  try {
    const anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
    const head = view.posAtDOM(dom.focusNode, dom.focusOffset);
    const { selection } = view.state;
    return selection.anchor === anchor && selection.head === head ? null : { anchor, head };
  } catch {
    return null;
  }
}

const select = (state: EditorState, at: { anchor: number; head: number }) =>
  state.tr.setSelection(TextSelection.between(state.doc.resolve(at.anchor), state.doc.resolve(at.head))).setMeta('addToHistory', false);

export const SelectionBeforeRemote = Extension.create<{ doc: Y.Doc | null }>({
  name: 'selectionBeforeRemote',
  addOptions: () => ({ doc: null }),
  addProseMirrorPlugins() {
    const doc = this.options.doc;
    if (!doc) return [];
    let current: EditorView | null = null;
    return [
      new Plugin({
        key: new PluginKey('selectionBeforeRemote'),
        // A co-therapist's caret moving redraws the note, which would write the editor's older
        // selection back into the page.
        appendTransaction(transactions, _before, state) {
          const caretsOnly = transactions.every((tr) => tr.getMeta(yCursorPluginKey) && !tr.docChanged && !tr.selectionSet);
          if (!current || !caretsOnly) return null;
          const at = pendingDomSelection(current);
          return at ? select(state, at) : null;
        },
        view(view) {
          current = view;
          // A co-therapist's text: the binding remembers the selection as the transaction starts.
          const before = (transaction: Y.Transaction) => {
            const at = transaction.local ? null : pendingDomSelection(view);
            if (at) view.dispatch(select(view.state, at));
          };
          doc.on('beforeTransaction', before);
          return {
            destroy: () => {
              doc.off('beforeTransaction', before);
              current = null;
            },
          };
        },
      }),
    ];
  },
});
