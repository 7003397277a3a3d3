import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';

/** A write to a key of one of the watched root maps (observations, responses, …). */
export interface MapWrite {
  map: string;
  key: string;
  value: unknown;
  client: number;
}

/** A deletion of a key's current value in a watched root map. */
export interface MapDelete {
  map: string;
  key: string;
  /** Client id that wrote the value being deleted. */
  client: number;
}

/** What an update would do, decoded without applying it. */
export interface UpdateFacts {
  /** Client ids of the items the update inserts (deletions carry no author). */
  writers: Set<number>;
  /** Ranges of new items: who wrote how much, for attestation and late-entry labels. */
  inserted: { client: number; clock: number; len: number }[];
  /** Whether applying it would change the document at all. */
  changesDoc: boolean;
  mapWrites: MapWrite[];
  mapDeletes: MapDelete[];
}


/**
 * The note an update is compared with. Clocks and deletions come from the Y.Doc or, for a note
 * not rebuilt yet, from its stored snapshot's meta; `doc()` is only called to look up an item.
 */
export interface KnownState {
  /** The next clock the note expects from `client`. */
  clock(client: number): number;
  /** Deleted ranges per client, sorted and merged. */
  deleteSet(): DeleteSet;
  doc(): Y.Doc;
}

export const knownFromDoc = (doc: Y.Doc): KnownState => ({
  clock: (client) => Y.getState(doc.store, client),
  deleteSet: () => Y.createDeleteSetFromStructStore(doc.store),
  doc: () => doc,
});

/**
 * Decodes an update without applying it. Throws on malformed input. A read-only client's sync
 * step 2 always carries its whole delete set, so "has deletions" is not "changes the document":
 * a deletion only counts when the document does not already have that range deleted.
 */
export function inspectUpdate(known: KnownState, update: Uint8Array, watchedMaps: readonly string[] = []): UpdateFacts {
  const { structs, ds } = Y.decodeUpdate(update);
  const facts: UpdateFacts = { writers: new Set(), inserted: [], changesDoc: false, mapWrites: [], mapDeletes: [] };
  const own = new Map<string, Y.Item>();
  for (const s of structs) if (s instanceof Y.Item) own.set(`${s.id.client}:${s.id.clock}`, s);
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const clock = known.clock(s.id.client);
    if (s.id.clock + s.length <= clock) continue;
    facts.changesDoc = true;
    facts.writers.add(s.id.client);
    const from = Math.max(s.id.clock, clock);
    facts.inserted.push({ client: s.id.client, clock: from, len: s.id.clock + s.length - from });
    if (s instanceof Y.Item && watchedMaps.length > 0) {
      const where = mapEntryOf(known, s, own, watchedMaps);
      if (where) facts.mapWrites.push({ ...where, value: s.content.getContent()[0], client: s.id.client });
    }
  }
  if (ds.clients.size > 0) {
    const deleted = known.deleteSet();
    for (const [client, ranges] of ds.clients) {
      const have = deleted.clients.get(client) ?? [];
      for (const r of ranges) {
        if (isCovered(have, r.clock, r.clock + r.len)) continue;
        facts.changesDoc = true;
        if (watchedMaps.length > 0) facts.mapDeletes.push(...deletedMapEntries(known.doc(), client, r.clock, r.len, watchedMaps));
      }
    }
  }
  return facts;
}

/** The root map and key an item belongs to, when its parent is one of the watched maps. */
function mapEntryOf(known: KnownState, item: Y.Item, own: Map<string, Y.Item>, watched: readonly string[]): { map: string; key: string } | null {
  if (typeof item.parent === 'string') return watched.includes(item.parent) && item.parentSub ? { map: item.parent, key: item.parentSub } : null;
  if (item.parent !== null) return null;
  // Parent info is omitted when the item has a neighbour: it shares the neighbour's parent.
  const neighbour = item.origin ?? item.rightOrigin;
  if (!neighbour) return null;
  const inUpdate = own.get(`${neighbour.client}:${neighbour.clock}`);
  if (inUpdate) return mapEntryOf(known, inUpdate, own, watched);
  if (neighbour.clock >= known.clock(neighbour.client)) return null;
  const doc = known.doc();
  const existing = Y.getItem(doc.store, neighbour);
  return existing instanceof Y.Item ? rootMapEntry(doc, existing, watched) : null;
}

function rootMapEntry(doc: Y.Doc, item: Y.Item, watched: readonly string[]): { map: string; key: string } | null {
  for (const name of watched) {
    if (doc.share.get(name) === item.parent && item.parentSub) return { map: name, key: item.parentSub };
  }
  return null;
}

function deletedMapEntries(doc: Y.Doc, client: number, clock: number, len: number, watched: readonly string[]): MapDelete[] {
  const structs = doc.store.clients.get(client);
  if (!structs) return [];
  const out: MapDelete[] = [];
  const end = Math.min(clock + len, Y.getState(doc.store, client));
  if (clock >= end) return out;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const s = structs[i]!;
    if (s.id.clock >= end) break;
    if (s instanceof Y.Item && !s.deleted) {
      const where = rootMapEntry(doc, s, watched);
      if (where) out.push({ ...where, client: s.id.client });
    }
  }
  return out;
}

/** Whether [from, to) lies inside the union of sorted, merged delete ranges. */
function isCovered(ranges: { clock: number; len: number }[], from: number, to: number): boolean {
  let at = from;
  for (const r of ranges) {
    if (r.clock > at) break;
    at = Math.max(at, r.clock + r.len);
    if (at >= to) return true;
  }
  return at >= to;
}

