/**
 * Shows a tagged line's words as part of its observation while they are written: the words after
 * the marker, to the end of the line, carry a decoration (`data-observation-words`) that
 * `ObservationStyles` colours like the marker. Nothing is written to the note; the words the
 * decoration covers are exactly the ones the observation's quote holds (`observationText.ts`).
 */
import type { EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type * as Y from 'yjs';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { lineWordRanges } from '../features/observations/observationText';
import { recordDecorations } from './recordDecorations';

function decorate(state: EditorState, doc: Y.Doc): DecorationSet {
  const { observations } = sessionDoc(doc);
  const isLine = (id: string) => observations.get(id)?.kind === 'line';
  const decorations = lineWordRanges(state.doc, isLine).map((r) =>
    Decoration.inline(r.from, r.to, { class: 'observation-words', 'data-observation-words': r.id }),
  );
  return DecorationSet.create(state.doc, decorations);
}

export const LineWords = recordDecorations('lineWords', (doc) => sessionDoc(doc).observations, decorate);
