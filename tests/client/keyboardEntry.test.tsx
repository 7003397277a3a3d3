import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyboardEntry } from '../../client/editor/keyboardEntry';

let editor: Editor | null = null;
afterEach(() => editor?.destroy());

/** A note as a new group session starts (template headings, empty lines), or as given. */
function note(html = '<h2>Attendance</h2><p></p><h2>Themes</h2><p></p>'): Editor {
  editor = new Editor({ element: document.body.appendChild(document.createElement('div')), extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), KeyboardEntry], content: html });
  editor.commands.setTextSelection(1);
  return editor;
}

const focusBy = (e: Editor, how: 'keyboard' | 'pointer') => {
  if (how === 'pointer') e.view.dom.dispatchEvent(new Event('pointerdown', { bubbles: true }));
  e.view.dom.dispatchEvent(new FocusEvent('focus'));
};

/** The block the caret is in, and where in it. */
const caret = (e: Editor) => {
  const { $from } = e.state.selection;
  return { block: $from.parent.type.name, text: $from.parent.textContent, offset: $from.parentOffset };
};

describe('reaching the note with Tab', () => {
  it('puts the caret on the first line under the template’s first heading, not in the heading', () => {
    const e = note();
    focusBy(e, 'keyboard');
    expect(caret(e)).toEqual({ block: 'paragraph', text: '', offset: 0 });
    e.commands.insertContent('M1, M2 present');
    expect(e.getHTML()).toBe('<h2>Attendance</h2><p>M1, M2 present</p><h2>Themes</h2><p></p>');
  });

  it('goes to the end of the first written line, so typing goes on from it', () => {
    const e = note('<h2>Attendance</h2><h3>Present</h3><p>M1, M2</p><h2>Themes</h2><p>Loss</p>');
    focusBy(e, 'keyboard');
    expect(caret(e)).toEqual({ block: 'paragraph', text: 'M1, M2', offset: 6 });
  });

  it('leaves a click where it was put, and a note with only headings as it is', () => {
    const clicked = note();
    focusBy(clicked, 'pointer');
    expect(caret(clicked)).toEqual({ block: 'heading', text: 'Attendance', offset: 0 });
    clicked.destroy();
    const headings = note('<h2>Attendance</h2><h2>Themes</h2>');
    focusBy(headings, 'keyboard');
    expect(caret(headings)).toEqual({ block: 'heading', text: 'Attendance', offset: 0 });
  });

  it('leaves a caret held elsewhere, and a note that starts with a written line', () => {
    const e = note();
    e.commands.setTextSelection(e.state.doc.content.size - 1);
    focusBy(e, 'keyboard');
    expect(caret(e)).toEqual({ block: 'paragraph', text: '', offset: 0 });
    expect(e.state.selection.from).toBe(e.state.doc.content.size - 1);
    const plain = note('<p>Session opened late.</p><h2>Plan</h2>');
    focusBy(plain, 'keyboard');
    expect(caret(plain)).toEqual({ block: 'paragraph', text: 'Session opened late.', offset: 0 });
  });
});
