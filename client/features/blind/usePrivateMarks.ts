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
import { useEffect, useState } from 'react';
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

/** Where an anchor's relative position (base64) stands in the editor now; null without a binding or when it is gone. */
function positionIn(state: EditorState): ((b64: string) => number | null) | null {
  const b = ySyncPluginKey.getState(state) as Partial<Binding> | undefined;
  if (!b?.doc || !b.type || !b.binding) return null;
  const { doc, type, binding } = b as Binding;
  return (b64: string) => relativePositionToAbsolutePosition(doc, type, decode(b64), binding.mapping as never);
}

/**
 * The words written after my private line tag, as the note reads now: up to a hard line break or
 * the end of its paragraph (as lineWords reads a revealed one). The server has '' for a line (its
 * words come after it is tagged), so the panel listed a private line tag as a tag and a time with
 * nothing to tell which line it was (walk, 6 Dec).
 */
export function privateLineWords(state: EditorState, o: PrivateObservationView): string | null {
  if (o.anchor.kind !== 'line') return null;
  const pos = positionIn(state)?.(o.anchor.at) ?? null;
  if (pos === null || pos > state.doc.content.size) return null;
  const $pos = state.doc.resolve(pos);
  if (!$pos.parent.isTextblock) return null;
  let words = '';
  let stopped = false;
  $pos.parent.forEach((child, offset) => {
    const from = $pos.start() + offset;
    const to = from + child.nodeSize;
    if (stopped || to <= pos) return;
    if (child.type.name === 'hardBreak') stopped = true;
    else if (child.isText) words += child.text!.slice(Math.max(0, pos - from));
  });
  return words.trim();
}

/** The words of each of my private line tags, kept as the note changes (see privateLineWords). */
export function usePrivateLineWords(editor: Editor | null, mine: PrivateObservationView[]): Map<string, string> {
  const [words, setWords] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    const lines = mine.filter((o) => o.anchor.kind === 'line');
    if (!editor || editor.isDestroyed || lines.length === 0) {
      setWords((prev) => (prev.size === 0 ? prev : new Map()));
      return;
    }
    const read = () => {
      const next = new Map<string, string>();
      for (const o of lines) {
        const w = privateLineWords(editor.state, o);
        if (w) next.set(o.id, w);
      }
      setWords((prev) => (prev.size === next.size && [...next].every(([id, w]) => prev.get(id) === w) ? prev : next));
    };
    read();
    editor.on('update', read);
    return () => {
      editor.off('update', read);
    };
  }, [editor, mine]);
  return words;
}

function decorate(state: EditorState, mine: PrivateObservationView[]): DecorationSet {
  const at = positionIn(state);
  if (mine.length === 0 || !at) return DecorationSet.empty;
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
