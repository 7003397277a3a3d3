/**
 * My risk records that another save replaced without having seen them. Yjs keeps one of two
 * concurrent writes to a map key and drops the other whole, so a record saved on a page that was
 * offline (or saved in the same moment) can replace the co-therapist's newer one, or lose to it,
 * with nobody told (leftover of the 5 Dec walk). A save that was written after seeing mine is an
 * ordinary change, shown by the risk form as it arrives.
 *
 * How a save is told apart: a Y.Map write's item names as its `origin` the item the writer saw
 * for that key. A replacing item whose chain of origins never reaches my item's id was written
 * without my save.
 */
import { useMemo, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import type { RiskEntry } from '../../../shared/domain/risk';
import { sessionDoc } from '../../../shared/ydoc/sessionDoc';

export interface ReplacedRiskSaves {
  /** My replaced record by member label: the words the note no longer holds. */
  replaced: ReadonlyMap<string, RiskEntry>;
  /** The person has seen it (kept theirs, or took theirs back into the fields). */
  settle(member: string): void;
}

const NONE: ReadonlyMap<string, RiskEntry> = new Map();

/** Whether `item` was written by someone who had seen the item with id `seen` (or one after it). */
function writtenAfter(doc: Y.Doc, item: Y.Item, seen: Y.ID): boolean {
  for (let origin = item.origin; origin; ) {
    if (Y.compareIDs(origin, seen)) return true;
    const previous = Y.getItem(doc.store, origin);
    origin = previous instanceof Y.Item ? previous.origin : null;
  }
  return false;
}

/** `me`: the account id of the person at this page; a record counts as mine when its `by` is me. */
export function useReplacedRiskSaves(doc: Y.Doc | null, me: string): ReplacedRiskSaves {
  const store = useMemo(() => {
    let replaced = NONE;
    const listeners = new Set<() => void>();
    const publish = (next: ReadonlyMap<string, RiskEntry>) => {
      replaced = next;
      for (const listener of listeners) listener();
    };
    const risk = doc ? sessionDoc(doc).risk : null;
    // The item each key held when last seen here: `oldValue` gives its words, not its id.
    const seen = new Map<string, Y.ID>();
    const remember = () => {
      for (const [key, item] of risk?._map ?? []) seen.set(key, item.id);
    };
    const onChange = (event: Y.YMapEvent<RiskEntry>) => {
      const next = new Map(replaced);
      for (const [key, change] of event.changes.keys) {
        const item = risk?._map.get(key);
        const before = change.oldValue as RiskEntry | undefined;
        const seenId = seen.get(key);
        // A save of my own here settles what was replaced before it.
        if (event.transaction.local) next.delete(key);
        else if (doc && change.action === 'update' && before?.by === me && item && seenId && !writtenAfter(doc, item, seenId)) next.set(key, before);
      }
      remember();
      if (next.size !== replaced.size || [...next].some(([key, entry]) => replaced.get(key) !== entry)) publish(next);
    };
    return {
      subscribe(listener: () => void) {
        listeners.add(listener);
        if (listeners.size === 1 && risk) {
          remember();
          risk.observe(onChange);
        }
        return () => {
          listeners.delete(listener);
          if (listeners.size === 0) risk?.unobserve(onChange);
        };
      },
      getSnapshot: () => replaced,
      settle(member: string) {
        if (!replaced.has(member)) return;
        const next = new Map(replaced);
        next.delete(member);
        publish(next);
      },
    };
  }, [doc, me]);
  const replaced = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { replaced, settle: store.settle };
}
