import * as Y from 'yjs';

/** The decoded content of an update: which client ids wrote items and what would change. */
export interface UpdateFacts {
  /** Client ids of the items the update inserts (deletions carry no author). */
  writers: Set<number>;
  /** Whether applying it would change the document at all. */
  changesDoc: boolean;
}

/**
 * Decodes an update without applying it. Throws on malformed input. A read-only client's sync
 * step 2 always carries its whole delete set, so "has deletions" is not "changes the document":
 * a deletion only counts when the document does not already have that range deleted.
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateFacts {
  const { structs, ds } = Y.decodeUpdate(update);
  const writers = new Set<number>();
  let changesDoc = false;
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    writers.add(s.id.client);
    if (s.id.clock + s.length > Y.getState(doc.store, s.id.client)) changesDoc = true;
  }
  if (!changesDoc && ds.clients.size > 0) changesDoc = deletesSomethingNew(doc, ds);
  return { writers, changesDoc };
}

function deletesSomethingNew(doc: Y.Doc, ds: ReturnType<typeof Y.createDeleteSet>): boolean {
  const known = Y.createDeleteSetFromStructStore(doc.store);
  for (const [client, ranges] of ds.clients) {
    const have = known.clients.get(client) ?? [];
    for (const r of ranges) {
      if (!isCovered(have, r.clock, r.clock + r.len)) return true;
    }
  }
  return false;
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
