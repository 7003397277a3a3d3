/**
 * The ids an update's map writes and removals carry, so a guard can tell a rewrite (written after
 * the value it removes) from a write beside it (guards.ts `rewrites`). Plain numbers: the facts
 * may go to a worker thread.
 */
import * as Y from 'yjs';
import type { MapDelete, MapWrite } from './updateFacts';

/** The writer, id and origin of the `i`th value of a map item: each value after the first was written right after the one before it. */
export function mapWriteIds(s: Y.Item, i: number): Pick<MapWrite, 'client' | 'id' | 'origin'> {
  const { client, clock } = s.id;
  return { client, id: { client, clock: clock + i }, origin: i > 0 ? { client, clock: clock + i - 1 } : s.origin && { client: s.origin.client, clock: s.origin.clock } };
}

/** The value `item` shows under `key` of root map `map`, as removed (its id is its item's last). */
export function removedValue(map: string, key: string, item: Y.Item): MapDelete {
  return { map, key, client: item.id.client, id: { client: item.id.client, clock: item.id.clock + item.length - 1 } };
}

/** The value the root map `map` shows under `key` in `doc`, as removed (none: nothing shown). */
export function visibleValueOf(doc: Y.Doc, map: string, key: string): MapDelete[] {
  const item = (doc.getMap(map) as unknown as { _map: Map<string, Y.Item> })._map.get(key);
  return item && !item.deleted ? [removedValue(map, key, item)] : [];
}

/**
 * The values shown under keys that the update writes only with values its own delete set removes:
 * Yjs deletes the shown value as the first of them lands, then the delete set takes that one too,
 * and the key stands empty. A risk record written and removed in one update erased the
 * co-therapist's as a rewrite in the sender's name (attack, 6 Dec).
 */
export function takenByGoneWrites(doc: Y.Doc, writes: readonly MapWrite[]): MapDelete[] {
  const keys = new Map<string, { map: string; key: string; gone: boolean }>();
  for (const w of writes) {
    const k = `${w.map}\u0000${w.key}`;
    const seen = keys.get(k);
    keys.set(k, { map: w.map, key: w.key, gone: (seen?.gone ?? true) && w.gone });
  }
  return [...keys.values()].filter((k) => k.gone).flatMap((k) => visibleValueOf(doc, k.map, k.key));
}
