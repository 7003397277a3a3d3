import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CaretOnRemoteEdits } from '../../client/editor/caretOnRemoteEdits';
import { ObservationMark } from '../../client/editor/observationMark';
import { TypedAtCaret } from '../../client/editor/typedAtCaret';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { editAsEditor, positionOf, schema } from '../helpers/editorEdit';

let editor: Editor | null = null;
afterEach(() => {
  editor?.destroy();
  editor = null;
});

/** A's editor on her copy of the note, B's copy linked to it as the server relays; one line written by A. */
function pair(line: string): { e: Editor; a: Y.Doc; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), ObservationMark, CaretOnRemoteEdits.configure({ doc: a }), TypedAtCaret.configure({ doc: a }), Collaboration.configure({ document: a, field: NOTE_FIELD })] });
  editAsEditor(a, (s) => s.tr.replaceWith(0, s.doc.content.size, [schema.nodes.paragraph!.create(null, [schema.text(line)])]));
  return { e: editor, a, b };
}

/** The Yjs text of the note's first line, however deep (a list item's). */
function firstText(node: Y.XmlFragment | Y.XmlElement): Y.XmlText {
  const child = node.get(0);
  return child instanceof Y.XmlText ? child : firstText(child as Y.XmlElement);
}

/** Whose each character of the first line is, in Yjs's order: 'a' or 'b'. */
function writers(doc: Y.Doc, a: Y.Doc): string {
  const text = firstText(doc.getXmlFragment(NOTE_FIELD));
  let out = '';
  for (let item = text._start; item; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentString) out += (item.id.client === a.clientID ? 'a' : 'b').repeat(item.length);
  }
  return out;
}

/** B writes `words` at the end of the first line. */
const bAppends = (b: Y.Doc, words: string) => editAsEditor(b, (s) => s.tr.insertText(words, s.doc.child(0).nodeSize - 1));

describe('typing at the caret', () => {
  it('puts a letter typed before the same letter of the co-therapist’s at the caret, and what follows after it', () => {
    const { e, a, b } = pair('there.');
    bAppends(b, ' ');
    // A's caret after her own last letter, before B's space.
    e.view.dispatch(e.state.tr.setSelection(TextSelection.create(e.state.doc, positionOf(e.state.doc, 'there.') + 'there.'.length)));
    e.commands.insertContent(' ');
    e.commands.insertContent('Alex');
    bAppends(b, 'Blair');
    expect(e.state.doc.child(0).textContent).toBe('there. Alex Blair');
    // Her space and words stand together before his: the binding's diff put her space after his.
    expect(writers(b, a)).toBe('aaaaaa' + 'aaaaa' + 'bbbbbb');
  });

  it('does so in a list item, letter after letter, with the co-therapist’s words arriving between', () => {
    const { e, a, b } = pair('x');
    editAsEditor(a, (s) => s.tr.replaceWith(0, s.doc.content.size, [schema.nodes.bulletList!.create(null, [schema.nodes.listItem!.create(null, [schema.nodes.paragraph!.create(null, [schema.text('item.')])])])]));
    const end = () => positionOf(e.state.doc, 'item.') + 'item.'.length;
    editAsEditor(b, (s) => s.tr.insertText(' ', positionOf(s.doc, 'item.') + 'item.'.length));
    e.view.dispatch(e.state.tr.setSelection(TextSelection.create(e.state.doc, end())));
    for (const letter of ' one') e.commands.insertContent(letter);
    editAsEditor(b, (s) => s.tr.insertText('two', s.doc.resolve(positionOf(s.doc, 'item.')).end()));
    for (const letter of ' more') e.commands.insertContent(letter);
    expect(e.state.doc.textContent).toBe('item. one more two');
    expect(writers(b, a)).toBe('aaaaa' + 'aaaa' + 'aaaaa' + 'bbbb');
  });

  it('deletes the letter before the caret, not the co-therapist’s same letter after it', () => {
    const { e, a, b } = pair('there.');
    bAppends(b, '.');
    e.view.dispatch(e.state.tr.setSelection(TextSelection.create(e.state.doc, positionOf(e.state.doc, 'there.') + 'there.'.length)));
    e.commands.deleteRange({ from: e.state.selection.from - 1, to: e.state.selection.from });
    expect(e.state.doc.child(0).textContent).toBe('there.');
    expect(writers(b, a)).toBe('aaaaab');
  });

  it('is taken back by undo like any typing', () => {
    const { e } = pair('Plan: ');
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    e.commands.insertContent('review');
    expect(e.state.doc.child(0).textContent).toBe('Plan: review');
    e.commands.undo();
    expect(e.state.doc.child(0).textContent).toBe('Plan: ');
  });

  it('writes words typed over others in the line in their place', () => {
    const { e, b } = pair('one two');
    const from = positionOf(e.state.doc, 'two');
    e.view.dispatch(e.state.tr.insertText('three', from, from + 3));
    expect(b.getXmlFragment(NOTE_FIELD).toJSON()).toBe('<paragraph>one three</paragraph>');
  });
  it('writes letters typed after the co-therapist’s tagged words plain, in one change that leaves hers as they were', () => {
    const { e, a, b } = pair('x');
    editAsEditor(b, (s) =>
      s.tr.replaceWith(0, s.doc.content.size, [schema.nodes.paragraph!.create(null, [schema.text('Before. '), schema.text('Tagged words', [schema.marks.observation!.create({ id: 'o1' })])])]),
    );
    const changes: Uint8Array[] = [];
    a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && changes.push(u));
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    e.commands.insertContent(' B');
    expect(changes).toHaveLength(1);
    expect(firstText(b.getXmlFragment(NOTE_FIELD)).toDelta()).toEqual([
      { insert: 'Before. ' },
      { insert: 'Tagged words', attributes: { observation: { id: 'o1' } } },
      { insert: ' B' },
    ]);
  });

  it('keeps the caret in a list item’s line while the co-therapist writes in it, and the heading after as it was', () => {
    const { e, a, b } = pair('x');
    const item = (words: string) => schema.nodes.bulletList!.create(null, [schema.nodes.listItem!.create(null, [schema.nodes.paragraph!.create(null, [schema.text(words)])])]);
    editAsEditor(a, (s) => s.tr.replaceWith(0, s.doc.content.size, [item('Plan.'), schema.nodes.heading!.create({ level: 2 }, [schema.text('Risk')])]));
    e.view.dispatch(e.state.tr.setSelection(TextSelection.create(e.state.doc, positionOf(e.state.doc, 'Plan.') + 'Plan.'.length)));
    const bTypes = (words: string) => editAsEditor(b, (s) => s.tr.insertText(words, s.doc.resolve(positionOf(s.doc, 'Plan.')).end()));
    for (const [i, letter] of [...' Alex more.'].entries()) {
      e.commands.insertContent(letter);
      if (i % 3 === 0) bTypes('b');
    }
    const [list, heading] = [e.state.doc.child(0), e.state.doc.child(1)];
    expect(heading.textContent).toBe('Risk');
    expect(list.textContent.startsWith('Plan. Alex more.')).toBe(true);
    expect(writers(b, a).startsWith('aaaaa' + 'a'.repeat(' Alex more.'.length))).toBe(true);
  });
});
