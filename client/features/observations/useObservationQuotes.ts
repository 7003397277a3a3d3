/**
 * The words of each observation in the note, by id (see {@link observationQuotes}), computed once
 * per change of the editor's document rather than on every render. Components re-render only when
 * a quote changed (typing inside an observed span), not on other typing.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { Editor } from '@tiptap/core';
import type { NoteObservations } from './useNoteObservations';
import { observationQuotes } from './observationText';

const NONE: ReadonlyMap<string, string> = new Map();

function sameQuotes(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, quote] of a) if (b.get(id) !== quote) return false;
  return true;
}

export function useObservationQuotes(editor: Editor | null, notes: NoteObservations): ReadonlyMap<string, string> {
  const store = useMemo(() => {
    const read = () => (editor && !editor.isDestroyed ? observationQuotes(editor.state.doc, (id) => notes.byId.get(id)?.kind === 'line') : NONE);
    let snapshot = read();
    return {
      subscribe(listener: () => void) {
        if (!editor) return () => undefined;
        const onTransaction = ({ transaction }: { transaction: { docChanged: boolean } }) => {
          if (!transaction.docChanged) return;
          const next = read();
          if (sameQuotes(snapshot, next)) return;
          snapshot = next;
          listener();
        };
        editor.on('transaction', onTransaction);
        return () => void editor.off('transaction', onTransaction);
      },
      getSnapshot: () => snapshot,
    };
  }, [editor, notes]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
