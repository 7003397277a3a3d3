import type * as Y from 'yjs';

/** An index of a Y.Map's entries that takes each change of the map as it comes. */
export interface LiveIndex<V> {
  add(key: string, value: V): void;
  /** `value`: what the map held under `key` until now. */
  remove(key: string, value: V): void;
}

type Built = { index: LiveIndex<unknown>; during: Y.Transaction | null };

const indexes = new WeakMap<Y.Map<unknown>, Map<string, Built>>();

/**
 * The index `name` of a Y.Map's entries: built from every entry when first asked for, then kept
 * up to date from each change the map's observer reports (its old and new value per key). The
 * after-apply steps of every keystroke look words up in the note's `struck`, `carried` and
 * `formatted` maps, and a correction changes them; building the index again after each change
 * cost every keystroke in proportion to the note's whole record of corrections (2 Dec: 1.3 ms a
 * deleted letter of another's at first, 7.7 ms after 6,000).
 *
 * Inside a transaction that changes the map, the index shows the map as it was before it.
 */
export function liveIndex<V, I extends LiveIndex<V>>(map: Y.Map<V>, name: string, create: () => I): I {
  const doc = map.doc;
  let byName = indexes.get(map as Y.Map<unknown>);
  if (!byName) {
    const built = new Map<string, Built>();
    indexes.set(map as Y.Map<unknown>, built);
    map.observe((event) => {
      for (const [name, entry] of built) {
        // Built inside this transaction, from entries it had already changed: built again.
        if (entry.during === event.transaction) built.delete(name);
      }
      if (built.size === 0) return;
      for (const [key, change] of event.changes.keys) {
        for (const { index } of built.values()) {
          if (change.action !== 'add') index.remove(key, change.oldValue);
          if (change.action !== 'delete') index.add(key, map.get(key));
        }
      }
    });
    byName = built;
  }
  let entry = byName.get(name);
  if (!entry) {
    const index = create();
    for (const [key, value] of map.entries()) index.add(key, value);
    // Built inside a transaction that already changed the map, it holds those changes, which the
    // observer then reports again: it is built anew after it. Built before any (the after-apply
    // steps ask inside the server's transaction, then write), it is kept: rebuilding it there cost
    // every frame that moved words in proportion to `carried` (attack, 2 Dec: 57 ms at 30,740).
    const tr = doc?._transaction ?? null;
    // Yjs types `changed` by its base type, whose event type a Y.Map's does not widen to.
    const changed: ReadonlyMap<unknown, unknown> | undefined = tr?.changed;
    entry = { index: index as LiveIndex<unknown>, during: tr !== null && changed?.has(map) ? tr : null };
    byName.set(name, entry);
  }
  return entry.index as I;
}
