/** The note's risk records by member label, read live from the Y.Doc (re-renders when one changes). */
import { useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { RiskEntry } from '../../../shared/domain/risk';
import { sessionDoc } from '../../../shared/ydoc/sessionDoc';

const EMPTY: ReadonlyMap<string, RiskEntry> = new Map();

export function useRiskRecords(doc: Y.Doc | null): ReadonlyMap<string, RiskEntry> {
  const store = useMemo(() => {
    let snapshot: ReadonlyMap<string, RiskEntry> = doc ? new Map(sessionDoc(doc).risk.entries()) : EMPTY;
    return {
      subscribe(listener: () => void) {
        if (!doc) return () => undefined;
        const { risk } = sessionDoc(doc);
        const onChange = () => {
          snapshot = new Map(risk.entries());
          listener();
        };
        risk.observe(onChange);
        onChange();
        return () => risk.unobserve(onChange);
      },
      getSnapshot: () => snapshot,
    };
  }, [doc]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
