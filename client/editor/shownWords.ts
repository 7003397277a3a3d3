/**
 * Words the app selects to show them (a flag jumped to with Alt+J, an observation shown from the
 * list) are not typed over. Such a selection holds the keyboard in the note, and the therapist's next
 * key replaced the co-therapist's words with it (walk, 4 Dec). While the selection the app made
 * stands, a key that writes (a letter, Backspace, Delete, Enter, a paste, an input method's
 * composition) first puts the caret back where the therapist was writing, and acts there; shortcuts
 * (Alt+M answers the shown flag) still see the shown words. Any selection the therapist makes
 * ends it, and then a key does what it always does.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';

interface Shown {
  from: number;
  to: number;
  /** Where the therapist was writing, read in the note as it is now; null: nowhere known. */
  back(): number | null;
}

const shownKey = new PluginKey<Shown | null>('shownWords');

/**
 * Marks a transaction's selection (`from`–`to`) as one the app made to show words; `back` is where
 * the therapist was writing. Shown from words shown before (the next flag), the first place is kept.
 */
export function markShown(tr: Transaction, from: number, to: number, back: () => number | null): Transaction {
  return tr.setMeta(shownKey, { from, to, back } satisfies Shown);
}

/** When the words the app showed are still selected (the flag was answered), puts the caret back where the therapist was writing. */
export function returnFromShown(view: EditorView): void {
  const shown = standing(view.state);
  if (shown) leaveShown(view, shown);
}

function standing(state: EditorState): Shown | null {
  const shown = shownKey.getState(state);
  if (!shown) return null;
  const { from, to } = state.selection;
  return from === shown.from && to === shown.to ? shown : null;
}

/** Puts the caret back where the therapist was writing (the end of the shown words if unknown). */
function leaveShown(view: EditorView, shown: Shown): void {
  const size = view.state.doc.content.size;
  const at = Math.min(Math.max(shown.back() ?? shown.to, 0), size);
  view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(at))).setMeta(shownKey, null).scrollIntoView());
}

const WRITING_KEYS = new Set(['Backspace', 'Delete', 'Enter']);

export const ShownWords = Extension.create({
  name: 'shownWords',
  // Before the keymaps: Backspace must find the caret already back.
  priority: 1000,
  addProseMirrorPlugins() {
    return [
      new Plugin<Shown | null>({
        key: shownKey,
        state: {
          init: () => null,
          apply(tr, shown, before, state) {
            const marked = tr.getMeta(shownKey) as Shown | null | undefined;
            if (marked !== undefined) {
              const was = standing(before);
              return marked && was ? { ...marked, back: was.back } : marked;
            }
            if (!shown || (!tr.docChanged && !tr.selectionSet)) return shown;
            // The co-therapist's edit: the Yjs binding redraws the note and puts the selection back
            // on the same words, which is where they now are.
            const remote = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
            const from = remote ? state.selection.from : tr.mapping.map(shown.from, 1);
            const to = remote ? state.selection.to : tr.mapping.map(shown.to, -1);
            return from < to && state.selection.from === from && state.selection.to === to ? { ...shown, from, to } : null;
          },
        },
        props: {
          handleTextInput(view, _from, _to, text) {
            const shown = standing(view.state);
            if (!shown) return false;
            leaveShown(view, shown);
            view.dispatch(view.state.tr.insertText(text).scrollIntoView());
            return true;
          },
          handleKeyDown(view, event) {
            const shown = standing(view.state);
            if (shown && WRITING_KEYS.has(event.key) && !event.altKey) leaveShown(view, shown);
            return false;
          },
          handlePaste(view) {
            const shown = standing(view.state);
            if (shown) leaveShown(view, shown);
            return false;
          },
          handleDOMEvents: {
            compositionstart(view) {
              const shown = standing(view.state);
              if (shown) leaveShown(view, shown);
              return false;
            },
          },
        },
      }),
    ];
  },
});
