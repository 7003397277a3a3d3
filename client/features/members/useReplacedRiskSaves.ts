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
import { useCallback, useEffect, useMemo } from 'react';
import * as Y from 'yjs';
import { joinRiskSaves, riskPartsBy, type RiskEntry } from '../../../shared/domain/risk';
import { sessionDoc } from '../../../shared/ydoc/sessionDoc';
import { useKeptWords } from '../../offline/keptWords';

export interface ReplacedRiskSaves {
  /** My replaced record by member label: the words the note no longer holds. */
  replaced: ReadonlyMap<string, RiskEntry>;
  /** The person has seen it (kept theirs, or took theirs back into the fields). */
  settle(member: string): void;
}

/**
 * Whether `item` was written by someone who had seen the item with id `seen` (or one after it).
 * The walk keeps to the items of the same map key: an origin elsewhere (crafted) ends it.
 */
function writtenAfter(doc: Y.Doc, item: Y.Item, seen: Y.ID): boolean {
  for (let origin = item.origin; origin; ) {
    if (Y.compareIDs(origin, seen)) return true;
    const previous = Y.getItem(doc.store, origin);
    const sameKey = previous instanceof Y.Item && previous.parent === item.parent && previous.parentSub === item.parentSub;
    origin = sameKey ? previous.origin : null;
  }
  return false;
}

/**
 * `me`: the account id of the person at this page; a record counts as mine when its `by` is me.
 * What was replaced stays across a new doc of the same page (a reload after a refused write) and
 * is kept on the device for `sessionId` until settled (client/offline/keptWords.ts), so a reload
 * of the tab does not lose the only copy of the words (walk, 5 Dec).
 */
export function useReplacedRiskSaves(doc: Y.Doc | null, me: string, sessionId: string): ReplacedRiskSaves {
  const [kept, update] = useKeptWords(me, sessionId, 'replacedRisk');
  useEffect(() => {
    if (!doc) return;
    const { risk } = sessionDoc(doc);
    // The item each key held when last seen here: `oldValue` gives its words, not its id.
    const seen = new Map<string, Y.ID>();
    const remember = () => {
      for (const [key, item] of risk._map) seen.set(key, item.id);
    };
    remember();
    const onChange = (event: Y.YMapEvent<RiskEntry>) => {
      // Per key: my words it replaced, or null where a save of my own here settles what was replaced before.
      const found = new Map<string, RiskEntry | null>();
      const joined = new Map<string, RiskEntry>();
      for (const [key, change] of event.changes.keys) {
        const item = risk._map.get(key);
        const before = change.oldValue as RiskEntry | undefined;
        const seenId = seen.get(key);
        if (event.transaction.local) found.set(key, null);
        // Only a record with words of mine in it: one that only kept the other's parts lost nothing of mine.
        else if (change.action === 'update' && before?.by === me && riskPartsBy(before, me).length > 0 && item && seenId && !writtenAfter(doc, item, seenId)) {
          const kept = risk.get(key)!;
          const join = joinRiskSaves(kept, before, me, Date.now());
          // The other save wrote the other part only: both parts stand, nobody has to choose.
          if (join === null) found.set(key, before);
          else if (join !== kept) joined.set(key, join);
        }
      }
      remember();
      if (found.size > 0) update((current) => withChanges(current, found));
      // Written after this event's transaction, as a save of mine made having seen theirs.
      if (joined.size > 0) queueMicrotask(() => doc.transact(() => joined.forEach((entry, key) => risk.set(key, entry))));
    };
    risk.observe(onChange);
    return () => risk.unobserve(onChange);
  }, [doc, me, update]);
  const settle = useCallback((member: string) => update((current) => withChanges(current, new Map([[member, null]]))), [update]);
  const replaced = useMemo(() => new Map(Object.entries(kept)), [kept]);
  return { replaced, settle };
}

/** `current` with each of `changes` set (null: removed); `current` itself when nothing changes. */
function withChanges(current: Record<string, RiskEntry>, changes: ReadonlyMap<string, RiskEntry | null>): Record<string, RiskEntry> {
  const next = { ...current };
  for (const [key, entry] of changes) {
    if (entry) next[key] = entry;
    else delete next[key];
  }
  const keys = Object.keys(next);
  const same = keys.length === Object.keys(current).length && keys.every((key) => current[key] === next[key]);
  return same ? current : next;
}
