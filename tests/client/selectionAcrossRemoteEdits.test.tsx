import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection, type Transaction } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { afterEach, describe, expect, it } from 'vitest';
import { SelectionAcrossRemoteEdits } from '../../client/editor/selectionAcrossRemoteEdits';
import { positionOf } from '../helpers/editorEdit';

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
});

const LINE = 'M1 talked about returning to work. M2 cried briefly';

/** A's editor on the line `LINE`, with "cried briefly" selected. */
function selectedWords(): Editor {
  editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), SelectionAcrossRemoteEdits], content: `<p>${LINE}</p>` });
  const at = positionOf(editor.state.doc, 'cried briefly');
  editor.commands.setTextSelection({ from: at, to: at + 'cried briefly'.length });
  return editor;
}

/**
 * A change as the Yjs binding writes one that came from the co-therapist: the note replaced, and
 * the selection written back from where its anchored items now resolve (`select`, given the new document).
 */
function fromCoTherapist(e: Editor, change: (tr: Transaction) => Transaction, select: (tr: Transaction) => { from: number; to: number }): void {
  const tr = change(e.state.tr);
  const { from, to } = select(tr);
  e.view.dispatch(tr.setSelection(TextSelection.create(tr.doc, from, to)).setMeta(ySyncPluginKey, { isChangeOrigin: true }));
}

const selected = (e: Editor) => e.state.doc.textBetween(e.state.selection.from, e.state.selection.to);
const start = (tr: Transaction, words: string) => positionOf(tr.doc, words);

// Walk, 6 Dec: after the blind reveal wrote both therapists' observations into the note, A's
// selection of "cried briefly" was written back from "returning to work" on, and the key she
// pressed next deleted the co-therapist's words with hers.
describe("a co-therapist's change and this person's selection of words", () => {
  it('selects the same words again when the change left the selection over other words too, so a key replaces only them', () => {
    const e = selectedWords();
    fromCoTherapist(e, (tr) => tr.insertText('Today ', 1), (tr) => ({ from: start(tr, 'returning'), to: start(tr, 'cried briefly') + 'cried briefly'.length }));
    expect(selected(e)).toBe('cried briefly');
    e.commands.insertContent('Z');
    expect(e.state.doc.textContent).toBe('Today M1 talked about returning to work. M2 Z');
  });

  it('becomes a caret at its end when the words are not there as they were, so a key deletes nothing', () => {
    const e = selectedWords();
    fromCoTherapist(e, (tr) => tr.insertText(' very', start(tr, 'cried') + 'cried'.length), (tr) => ({ from: start(tr, 'cried'), to: start(tr, 'briefly') + 'briefly'.length }));
    expect(e.state.selection.empty).toBe(true);
    e.commands.insertContent('Z');
    expect(e.state.doc.textContent).toBe('M1 talked about returning to work. M2 cried very brieflyZ');
  });

  it('is left alone when the change leaves the same words selected, and after this person’s own changes', () => {
    const e = selectedWords();
    fromCoTherapist(e, (tr) => tr.insertText('Today ', 1), (tr) => ({ from: start(tr, 'cried briefly'), to: start(tr, 'cried briefly') + 'cried briefly'.length }));
    expect(selected(e)).toBe('cried briefly');
    const own = e.state.tr.insertText('Then ', 1);
    e.view.dispatch(own.setSelection(TextSelection.create(own.doc, start(own, 'returning'), start(own, 'cried briefly') + 'cried briefly'.length)));
    expect(selected(e)).toBe('returning to work. M2 cried briefly');
  });
});
