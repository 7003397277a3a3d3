/**
 * The note's observation records and the answers to flags, read live from the Y.Doc. Components
 * re-render when either map changes (never on plain typing).
 */
import { useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { FlagResponse, Observation } from '../../../shared/domain/observation';
import { sessionDoc } from '../../../shared/ydoc/sessionDoc';

export interface NoteObservations {
  /** Oldest first. */
  observations: Observation[];
  byId: Map<string, Observation>;
  responses: Map<string, FlagResponse>;
}

const EMPTY: NoteObservations = { observations: [], byId: new Map(), responses: new Map() };

function read(doc: Y.Doc): NoteObservations {
  const { observations, responses } = sessionDoc(doc);
  const list = Array.from(observations.values()).sort((a, b) => a.createdAt - b.createdAt);
  return { observations: list, byId: new Map(list.map((o) => [o.id, o])), responses: new Map(responses.entries()) };
}

export function useNoteObservations(doc: Y.Doc | null): NoteObservations {
  const store = useMemo(() => {
    let snapshot = doc ? read(doc) : EMPTY;
    return {
      subscribe(listener: () => void) {
        if (!doc) return () => undefined;
        const { observations, responses } = sessionDoc(doc);
        const onChange = () => {
          snapshot = read(doc);
          listener();
        };
        observations.observe(onChange);
        responses.observe(onChange);
        // Anything that arrived between the first read and subscribing.
        onChange();
        return () => {
          observations.unobserve(onChange);
          responses.unobserve(onChange);
        };
      },
      getSnapshot: () => snapshot,
    };
  }, [doc]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
