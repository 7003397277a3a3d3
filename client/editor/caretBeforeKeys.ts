/**
 * A key command acts where the person's caret is on screen. ProseMirror reads the caret a click
 * put down only at the browser's next `selectionchange`, which Chromium queues as a task of its
 * own: a keydown already queued runs first, and Enter, Tab or a shortcut then acts at the caret
 * the editor held before the click (seen in browser tests, 4–5 Dec: 6 of 12 keydowns sent with no
 * gap after mouseup came before the selectionchange; Enter split the note's first heading instead
 * of the clicked line). Typed letters were never affected: the browser inserts them at its own
 * caret, which ProseMirror then reads. So before any key command runs, the editor reads the
 * browser's selection as it would at that selectionchange, which does nothing when it has read it.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/**
 * ProseMirror's own reader of DOM changes and the DOM selection (`EditorView.domObserver`,
 * internal in its types). `flush` is what its selectionchange handler calls; it reads the
 * selection only when it differs from the one last read.
 */
interface DomObserver {
  flush(): void;
}

/** IME keys (keyCode 229) belong to a composition, which ProseMirror reads from the DOM when it ends. */
const COMPOSING = 229;

export const CaretBeforeKeys = Extension.create({
  name: 'caretBeforeKeys',
  // First, so every later key handler (the keymaps, Tab, the tag palette) sees the caret read.
  priority: 10_000,
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('caretBeforeKeys'),
        props: {
          handleKeyDown(view: EditorView, event: KeyboardEvent) {
            if (event.keyCode === COMPOSING || view.composing) return false;
            (view as unknown as { domObserver?: DomObserver }).domObserver?.flush();
            return false;
          },
        },
      }),
    ];
  },
});
