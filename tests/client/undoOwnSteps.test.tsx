import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection } from '@tiptap/pm/state';
import { yUndoPluginKey } from '@tiptap/y-tiptap';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UndoOwnSteps } from '../../client/editor/undoOwnSteps';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { editAsEditor, positionOf, schema } from '../helpers/editorEdit';

/** A's editor on her copy of the note, and B's copy, exchanging every update as the server would relay them. */
function pair(withGuard: boolean): { editor: Editor; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  editAsEditor(b, (s) => s.tr.insert(0, schema.nodes.paragraph!.create(null, [schema.text('Seems ready to try exposure work.')])));
  const editor = new Editor({
    extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), Collaboration.configure({ document: a, field: NOTE_FIELD }), ...(withGuard ? [UndoOwnSteps] : [])],
  });
  return { editor, b };
}

/** Enter before `words` in A's editor. */
function splitBefore(editor: Editor, words: string): void {
  const at = positionOf(editor.state.doc, words);
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, at)));
  editor.commands.splitBlock();
}

/** Ends the current undo step (edits within half a second are one step otherwise). */
const newStep = (e: Editor) => (yUndoPluginKey.getState(e.state) as { undoManager: Y.UndoManager }).undoManager.stopCapturing();

const lines = (editor: Editor) => editor.state.doc.content.content.map((line) => line.textContent);

let editor: Editor | null = null;
afterEach(() => editor?.destroy());

describe('undo after the co-therapist changed my step', () => {
  it('brings no words back twice: my split of her line, joined back by her, is no longer undone', () => {
    // Without the guard, Yjs's undo brings the split's deleted line back beside her joined copy.
    const bare = pair(false);
    splitBefore(bare.editor, ' to try');
    editAsEditor(bare.b, (s) => s.tr.join(positionOf(s.doc, ' to try') - 1));
    bare.editor.commands.undo();
    expect(lines(bare.editor)).toEqual(['Seems ready to try exposure work. to try exposure work.']);
    bare.editor.destroy();

    const guarded = pair(true);
    editor = guarded.editor;
    splitBefore(editor, ' to try');
    expect(lines(editor)).toEqual(['Seems ready', ' to try exposure work.']);
    editAsEditor(guarded.b, (s) => s.tr.join(positionOf(s.doc, ' to try') - 1));
    expect(lines(editor)).toEqual(['Seems ready to try exposure work.']);
    editor.commands.undo();
    expect(lines(editor)).toEqual(['Seems ready to try exposure work.']);
  });

  it('stops there: the same Ctrl+Z does not undo an older step of mine instead', () => {
    const { editor: e, b } = pair(true);
    editor = e;
    editor.commands.setTextSelection(editor.state.doc.content.size - 1);
    editor.commands.splitBlock();
    editor.commands.insertContent('Objective: tearful at times.');
    newStep(editor);
    splitBefore(editor, ' to try');
    expect(lines(editor)).toEqual(['Seems ready', ' to try exposure work.', 'Objective: tearful at times.']);
    editAsEditor(b, (s) => s.tr.join(positionOf(s.doc, ' to try') - 1));
    editor.commands.undo();
    expect(lines(editor)).toEqual(['Seems ready to try exposure work.', 'Objective: tearful at times.']);
  });

  it('still undoes what I only wrote, after she deleted some of it, and a split she left alone', () => {
    const { editor: e, b } = pair(true);
    editor = e;
    editor.commands.setTextSelection(editor.state.doc.content.size - 1);
    editor.commands.insertContent(' Agreed on homework.');
    editAsEditor(b, (s) => s.tr.delete(positionOf(s.doc, ' on homework'), positionOf(s.doc, ' on homework') + ' on homework'.length));
    expect(lines(editor)).toEqual(['Seems ready to try exposure work. Agreed.']);
    editor.commands.undo();
    expect(lines(editor)).toEqual(['Seems ready to try exposure work.']);

    splitBefore(editor, ' to try');
    editor.commands.undo();
    expect(lines(editor)).toEqual(['Seems ready to try exposure work.']);
  });

  it('brings back a word I deleted letter by letter in one step, though she typed elsewhere meanwhile', () => {
    // Walk, 2 Dec: with her typing anywhere (her caret redrawn on my page after each letter), each
    // letter I deleted was its own undo step, and each came back as a new letter of mine.
    const { editor: e, b } = pair(true);
    editor = e;
    const at = positionOf(editor.state.doc, ' work.');
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, at)));
    for (let i = 0; i < 'exposure'.length; i++) {
      editor.commands.deleteRange({ from: editor.state.selection.head - 1, to: editor.state.selection.head });
      editAsEditor(b, (s) => s.tr.insertText('x', 1));
      // Her caret moved: a transaction of this editor that changes nothing in the note.
      editor.view.dispatch(editor.state.tr.setMeta('herCaret', true));
    }
    expect(lines(editor)).toEqual(['xxxxxxxxSeems ready to try  work.']);
    editor.commands.undo();
    expect(lines(editor)).toEqual(['xxxxxxxxSeems ready to try exposure work.']);
  });
});
