/**
 * An editor extension that draws decorations worked out from the note and one of its Yjs record
 * maps (observations, late-entry labels), and draws them again whenever the text changes or the
 * map does: a record can arrive apart from the text it concerns (another tab, a reload, the
 * server's label just after the edit). Nothing is written to the note.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import type { DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';

export function recordDecorations<T>(name: string, records: (doc: Y.Doc) => Y.Map<T>, decorate: (state: EditorState, doc: Y.Doc) => DecorationSet) {
  const key = new PluginKey<DecorationSet>(name);
  return Extension.create<{ doc: Y.Doc | null }>({
    name,
    addOptions: () => ({ doc: null }),
    addProseMirrorPlugins() {
      const doc = this.options.doc;
      if (!doc) return [];
      return [
        new Plugin<DecorationSet>({
          key,
          state: {
            init: (_, state) => decorate(state, doc),
            apply: (tr, old, _before, state) => (tr.docChanged || tr.getMeta(key) ? decorate(state, doc) : old),
          },
          props: { decorations: (state) => key.getState(state) },
          view(view) {
            const map = records(doc);
            // After the Yjs transaction that changed the records, never inside it; and once at the
            // start, when the Yjs binding the decorations may need is in place.
            const redraw = () =>
              queueMicrotask(() => {
                if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, true).setMeta('addToHistory', false));
              });
            map.observe(redraw);
            redraw();
            return { destroy: () => map.unobserve(redraw) };
          },
        }),
      ];
    },
  });
}
