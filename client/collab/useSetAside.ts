/**
 * The changes too large to save for one note, as the page lists them: those kept on this device
 * from earlier visits and this one (setAsideStore.ts), and any of this visit the device could not
 * keep. Before this, a reload of the page hid the kept ones for good: they were written to
 * IndexedDB and never read (noted 5 Dec).
 */
import { useCallback, useEffect, useState } from 'react';
import { forgetAside, readAside, watchAside, type KeptAside } from './setAsideStore';
import type { SetAsideView } from './CollabConnection';

/** A change to show: `key` names it in the device's store, null when the device could not keep it. */
export type SetAsideEntry = Omit<KeptAside, 'key'> & { key: number | null };

export interface SetAsideChanges {
  /** Oldest first. */
  entries: SetAsideEntry[];
  /** Removes one from the page and from the device (its words are then gone). */
  forget(entry: SetAsideEntry): void;
}

/** `latest`: the connection's last change set aside (CollabStatus `setAside`); a new one re-reads the device. */
export function useSetAside(accountId: string, sessionId: string, latest: SetAsideView | null): SetAsideChanges {
  const [kept, setKept] = useState<KeptAside[]>([]);
  const [unkept, setUnkept] = useState<SetAsideEntry[]>([]);
  const [seen, setSeen] = useState(latest);
  if (latest !== seen) {
    setSeen(latest);
    if (latest && !latest.kept) setUnkept((earlier) => [...earlier, { ...latest, key: null }]);
  }

  // Bumped when another page of this browser keeps or removes one.
  const [elsewhere, setElsewhere] = useState(0);
  useEffect(() => watchAside(accountId, () => setElsewhere((n) => n + 1)), [accountId]);
  useEffect(() => {
    let current = true;
    // A device that cannot read its store shows what this visit set aside, as before.
    readAside(accountId, sessionId).then((found) => current && setKept(found), () => undefined);
    return () => {
      current = false;
    };
  }, [accountId, sessionId, latest, elsewhere]);

  const forget = useCallback(
    (entry: SetAsideEntry) => {
      const { key } = entry;
      if (key === null) {
        setUnkept((earlier) => earlier.filter((e) => e !== entry));
        return;
      }
      // Shown until the device says it is gone: a failed removal leaves it listed, and kept.
      forgetAside(accountId, key).then(() => setKept((earlier) => earlier.filter((e) => e.key !== key)), () => undefined);
    },
    [accountId],
  );

  return { entries: [...kept, ...unkept], forget };
}
