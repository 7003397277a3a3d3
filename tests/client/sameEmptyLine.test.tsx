import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { TextInNewLines } from '../../client/editor/textInNewLines';
import { templateUpdate } from '../../server/collab/template';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';

/**
 * Two therapists' editors, each on its own copy of the note; what each writes waits in its outbox
 * until `deliver`, as if both typed before the other's keystrokes arrived.
 */
function twoEditors(seed: Uint8Array) {
  const open = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, seed, 'remote');
    const outbox: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && outbox.push(u));
    const editor = new Editor({
      extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), Collaboration.configure({ document: doc, field: NOTE_FIELD }), TextInNewLines.configure({ doc })],
    });
    return { doc, outbox, editor };
  };
  const a = open();
  const b = open();
  const deliver = () => {
    const fromA = a.outbox.splice(0);
    const fromB = b.outbox.splice(0);
    for (const u of fromA) Y.applyUpdate(b.doc, u, 'remote');
    for (const u of fromB) Y.applyUpdate(a.doc, u, 'remote');
  };
  return { a, b, deliver };
}

/** Puts the caret at the end of the `index`th top-level line and types `letters` there. */
function typeInLine(editor: Editor, index: number, letters: string): void {
  let end = 0;
  editor.state.doc.forEach((node, offset, i) => {
    if (i === index) end = offset + node.nodeSize - 1;
  });
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, end)));
  editor.view.dispatch(editor.state.tr.insertText(letters));
}

/** Each visible character of the note's line `index` with the Yjs client that wrote it. */
function writtenBy(doc: Y.Doc, index: number): { text: string; clients: number[] } {
  const line = doc.getXmlFragment(NOTE_FIELD).get(index) as Y.XmlElement;
  let text = '';
  const clients: number[] = [];
  for (const child of line.toArray()) {
    if (!(child instanceof Y.XmlText)) continue;
    for (let item = child._start; item; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentString)) continue;
      text += item.content.str;
      for (let i = 0; i < item.length; i++) clients.push(item.id.client);
    }
  }
  return { text, clients };
}

const editors: Editor[] = [];
afterEach(() => editors.splice(0).forEach((e) => e.destroy()));

// Walk, 2 Dec: both therapists typing into the same empty line at the same moment came out with a
// letter of one written twice, the copy as the other's ("came up. KKT offered", the extra K as
// Ada's), and once her words struck as deleted by him. Each editor had made the empty line a text
// of its own; the binding joins two texts of one line by writing one's letters into the other.
describe('two therapists typing into the same empty line at once', () => {
  const check = (pair: ReturnType<typeof twoEditors>, line: number) => {
    const { a, b, deliver } = pair;
    editors.push(a.editor, b.editor);
    typeInLine(a.editor, line, 'M');
    typeInLine(b.editor, line, 'K');
    deliver();
    typeInLine(a.editor, line, '2');
    typeInLine(b.editor, line, 'T');
    deliver();
    typeInLine(a.editor, line, ' went');
    typeInLine(b.editor, line, ' offered');
    deliver();
    deliver();
    const seen = writtenBy(a.doc, line);
    expect(writtenBy(b.doc, line)).toEqual(seen);
    expect(seen.text.length).toBe('M2 went'.length + 'KT offered'.length);
    const aLetters = seen.clients.filter((c) => c === a.doc.clientID).length;
    const bLetters = seen.clients.filter((c) => c === b.doc.clientID).length;
    expect([aLetters, bLetters]).toEqual(['M2 went'.length, 'KT offered'.length]);
  };

  it('keeps each letter once and as its writer’s, in an empty line of the template', () => {
    check(twoEditors(templateUpdate(['Member observations'])), 1);
  });

  it('and in an empty line one of them has just made with Enter', () => {
    const pair = twoEditors(templateUpdate(['Themes']));
    const { a, deliver } = pair;
    typeInLine(a.editor, 1, 'Shame.');
    a.editor.commands.splitBlock();
    deliver();
    check(pair, 2);
  });
});
