/**
 * My private observations drawn in my own editor during a blind session: decorations computed
 * from their Yjs relative positions (they follow everything both of us write), never written to
 * the shared note, so my co-therapist's editor has nothing to draw. At the reveal the server
 * writes the real marks and these go.
 */
import type { Editor } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import { useEffect } from 'react';
import * as Y from 'yjs';
import type { PrivateObservationView } from '../../../shared/domain/blind';
import { lineLabel } from '../../../shared/note/lineWords';

const key = new PluginKey<DecorationSet>('privateObservations');

interface Binding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  binding: { mapping: Map<unknown, unknown> };
}

const decode = (b64: string) => Y.decodeRelativePosition(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));

function decorate(state: EditorState, mine: PrivateObservationView[]): DecorationSet {
  const b = ySyncPluginKey.getState(state) as Partial<Binding> | undefined;
  if (mine.length === 0 || !b?.doc || !b.type || !b.binding) return DecorationSet.empty;
  const { doc, type, binding } = b as Binding;
  const at = (b64: string) => relativePositionToAbsolutePosition(doc, type, decode(b64), binding.mapping as never);
  const decorations = mine.flatMap((o) => {
    const title = `Private until the reveal: ${o.tags.map((t) => t.name).join(', ')}${o.member ? ` · ${o.member}` : ''}`;
    if (o.anchor.kind === 'span') {
      const from = at(o.anchor.from);
      const to = at(o.anchor.to);
      return from !== null && to !== null && to > from ? [Decoration.inline(from, to, { class: 'private-observation', title, style: `--tag-color: ${o.tags[0]?.color ?? '#6b7280'}` })] : [];
    }
    const pos = at(o.anchor.at);
    if (pos === null) return [];
    const label = lineLabel(
      o.tags.map((t) => t.name),
      o.member,
    );
    return [
      Decoration.widget(pos, () => {
        const el = document.createElement('span');
        el.className = 'private-observation private-observation--line';
        el.textContent = label;
        el.title = title;
        return el;
      }, { side: -1, key: o.id }),
    ];
  });
  return DecorationSet.create(state.doc, decorations);
}

/** Draws `mine` in the editor while there are any; removes the drawing when they go. */
export function usePrivateMarks(editor: Editor | null, mine: PrivateObservationView[]): void {
  useEffect(() => {
    if (!editor || editor.isDestroyed || mine.length === 0) return;
    const plugin = new Plugin<DecorationSet>({
      key,
      state: {
        init: (_config, state) => decorate(state, mine),
        apply: (tr, old, _before, state) => (tr.docChanged ? decorate(state, mine) : old),
      },
      props: { decorations: (state) => key.getState(state) },
    });
    editor.registerPlugin(plugin);
    return () => {
      if (!editor.isDestroyed) editor.unregisterPlugin(key);
    };
  }, [editor, mine]);
}
