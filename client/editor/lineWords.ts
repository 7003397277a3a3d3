/**
 * Shows a tagged line's words as part of its observation while they are written: the words after
 * the marker, to the end of the line, carry a decoration (`data-observation-words`) that
 * `ObservationStyles` colours like the marker. Nothing is written to the note; the words the
 * decoration covers are exactly the ones the observation's quote holds (`observationText.ts`).
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { lineWordRanges } from '../features/observations/observationText';

const key = new PluginKey<DecorationSet>('lineWords');

function decorate(state: EditorState, doc: Y.Doc): DecorationSet {
  const { observations } = sessionDoc(doc);
  const isLine = (id: string) => observations.get(id)?.kind === 'line';
  const decorations = lineWordRanges(state.doc, isLine).map((r) =>
    Decoration.inline(r.from, r.to, { class: 'observation-words', 'data-observation-words': r.id }),
  );
  return DecorationSet.create(state.doc, decorations);
}

export const LineWords = Extension.create<{ doc: Y.Doc | null }>({
  name: 'lineWords',
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
        // A record can arrive apart from its mark (another tab, a reload): redraw when records change.
        view(view) {
          const { observations } = sessionDoc(doc);
          // After the Yjs transaction that changed them, never inside it.
          const redraw = () =>
            queueMicrotask(() => {
              if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, true).setMeta('addToHistory', false));
            });
          observations.observe(redraw);
          return { destroy: () => observations.unobserve(redraw) };
        },
      }),
    ];
  },
});
