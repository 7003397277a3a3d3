/**
 * The note's observation records, the answers to flags and others' changes of what observations
 * quote, read live from the Y.Doc. Components re-render when any of these maps changes (never on plain typing).
 */
import { useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { FlagResponse, Observation } from '../../../shared/domain/observation';
import type { ExtentChange } from '../../../shared/note/extentChanges';
import { OBSERVATIONS, receivedAt, sessionDoc } from '../../../shared/ydoc/sessionDoc';

export interface NoteObservations {
  /** Oldest first, by when the server received them. */
  observations: Observation[];
  /** When the server received each observation (ms), by id. */
  receivedAt: Map<string, number>;
  byId: Map<string, Observation>;
  responses: Map<string, FlagResponse>;
  /**
   * The other therapist's change of which words an observation quotes, by observation id: the
   * server writes it (server/collab/extentChanges.ts) and every client reads it, so the author
   * sees a join of her tagged line while the session runs, not only in the review.
   */
  extents: Map<string, ExtentChange>;
}

const EMPTY: NoteObservations = { observations: [], receivedAt: new Map(), byId: new Map(), responses: new Map(), extents: new Map() };

function read(doc: Y.Doc): NoteObservations {
  const { observations, responses, extents } = sessionDoc(doc);
  const times = new Map(Array.from(observations.values(), (o) => [o.id, receivedAt(doc, OBSERVATIONS, o.id, o.createdAt).at]));
  const list = Array.from(observations.values()).sort((a, b) => times.get(a.id)! - times.get(b.id)!);
  return { observations: list, receivedAt: times, byId: new Map(list.map((o) => [o.id, o])), responses: new Map(responses.entries()), extents: new Map(extents.entries()) };
}

export function useNoteObservations(doc: Y.Doc | null): NoteObservations {
  const store = useMemo(() => {
    let snapshot = doc ? read(doc) : EMPTY;
    return {
      subscribe(listener: () => void) {
        if (!doc) return () => undefined;
        const { observations, responses, stamps, extents } = sessionDoc(doc);
        const onChange = () => {
          snapshot = read(doc);
          listener();
        };
        observations.observe(onChange);
        responses.observe(onChange);
        stamps.observe(onChange);
        extents.observe(onChange);
        // Anything that arrived between the first read and subscribing.
        onChange();
        return () => {
          observations.unobserve(onChange);
          responses.unobserve(onChange);
          stamps.unobserve(onChange);
          extents.unobserve(onChange);
        };
      },
      getSnapshot: () => snapshot,
    };
  }, [doc]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
