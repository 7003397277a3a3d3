/**
 * Where the caret goes when a therapist reaches the note with Tab. The browser puts it at the very
 * start of the note, which in a new session is the template's first heading: the words then typed
 * became the "Attendance" heading, and Ctrl+K there tagged the heading itself (walk, 6 Dec). Keyboard
 * first is how the product is meant to be used, so a keyboard entry at the note's start goes to the
 * end of the first line that is not a heading, where writing starts. A click is left where it was
 * put, and so is a caret the editor held elsewhere.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection, type EditorState } from '@tiptap/pm/state';

/** The end of the first textblock that is not a heading, or null when the note has none. */
function firstWritingLine(state: EditorState): number | null {
  let at: number | null = null;
  state.doc.descendants((node, pos) => {
    if (at !== null) return false;
    if (node.isTextblock && node.type.name !== 'heading') at = pos + 1 + node.content.size;
    return !node.isTextblock;
  });
  return at;
}

export const KeyboardEntry = Extension.create({
  name: 'keyboardEntry',
  addProseMirrorPlugins() {
    let pointer = false;
    return [
      new Plugin({
        key: new PluginKey('keyboardEntry'),
        props: {
          handleDOMEvents: {
            pointerdown: () => {
              pointer = true;
              return false;
            },
            mousedown: () => {
              pointer = true;
              return false;
            },
            blur: () => {
              pointer = false;
              return false;
            },
            focus: (view) => {
              const byPointer = pointer;
              pointer = false;
              const { selection, doc } = view.state;
              const atStart = selection.empty && selection.from === TextSelection.atStart(doc).from;
              if (byPointer || !atStart || selection.$from.parent.type.name !== 'heading') return false;
              const to = firstWritingLine(view.state);
              if (to !== null) view.dispatch(view.state.tr.setSelection(TextSelection.create(view.state.doc, to)).scrollIntoView());
              return false;
            },
          },
        },
      }),
    ];
  },
});
