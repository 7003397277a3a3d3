import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaretOnRemoteEdits } from '../../client/editor/caretOnRemoteEdits';
import { StoredMarksAcrossRemoteEdits } from '../../client/editor/storedMarksAcrossRemoteEdits';
import { TypedAtCaret } from '../../client/editor/typedAtCaret';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { editAsEditor, positionOf, schema } from '../helpers/editorEdit';

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
});

/** A's editor on her copy of the note, B's copy linked to it as the server relays; one line, A's caret after `caretAfter`. */
function pair(line: string, caretAfter: string): { e: Editor; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  editor = new Editor({
    extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), CaretOnRemoteEdits.configure({ doc: a }), StoredMarksAcrossRemoteEdits, TypedAtCaret.configure({ doc: a }), Collaboration.configure({ document: a, field: NOTE_FIELD })],
  });
  editAsEditor(a, (s) => s.tr.replaceWith(0, s.doc.content.size, [schema.nodes.paragraph!.create(null, [schema.text(line)])]));
  const at = positionOf(editor.state.doc, caretAfter) + caretAfter.length;
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, at)));
  return { e: editor, b };
}

/** Types as the keyboard does: one letter at a time at the caret, with the formatting chosen for it. */
function type(e: Editor, words: string): void {
  for (const letter of words) e.view.dispatch(e.state.tr.insertText(letter));
}

/** The line's runs of text with their marks' names: [['Base ', ''], ['Bold', 'bold']]. */
function runs(e: Editor): [string, string][] {
  const out: [string, string][] = [];
  e.state.doc.child(0).forEach((node) => out.push([node.text ?? '', node.marks.map((m) => m.type.name).join(',')]));
  return out;
}

/** B writes `words` at the end of the first line. */
const bAppends = (b: Y.Doc, words: string) => editAsEditor(b, (s) => s.tr.insertText(words, s.doc.child(0).nodeSize - 1));

// Bold switched off at the caret came back on the next letter once the co-therapist's edit landed
// in between: the binding redraws the note from Yjs, and ProseMirror drops the formatting chosen for
// the next letter with any change of the document (walk, 5 Dec).
describe('the formatting chosen for the next letter, while the co-therapist writes', () => {
  it('stays off once bold is switched off, when her words arrive before the next letter', () => {
    const { e, b } = pair('Base. End.', 'Base.');
    e.commands.toggleBold();
    type(e, ' Bold');
    e.commands.toggleBold();
    bAppends(b, ' Blair.');
    type(e, ' plain');
    expect(runs(e)).toEqual([['Base.', ''], [' Bold', 'bold'], [' plain End. Blair.', '']]);
  });

  it('stays on once bold is switched on, and italic too', () => {
    const { e, b } = pair('Base. End.', 'Base.');
    e.commands.toggleBold();
    e.commands.toggleItalic();
    bAppends(b, ' Blair.');
    type(e, ' Both');
    expect(runs(e)).toEqual([['Base.', ''], [' Both', 'bold,italic'], [' End. Blair.', '']]);
  });

  it('is dropped once the caret is moved, as ProseMirror does', () => {
    const { e, b } = pair('Base. End.', 'Base.');
    e.commands.toggleBold();
    bAppends(b, ' Blair.');
    e.view.dispatch(e.state.tr.setSelection(TextSelection.create(e.state.doc, positionOf(e.state.doc, 'End.') + 'End.'.length)));
    type(e, '!');
    expect(runs(e)).toEqual([['Base. End.! Blair.', '']]);
  });
});
