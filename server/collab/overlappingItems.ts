import * as Y from 'yjs';
import type { Struct } from '../../shared/protocol/updateParts';
import type { KnownState } from './updateFacts';

/**
 * Makes each item of a decoded update whose first clocks the note holds already what Yjs makes of
 * it, so that the gate judges it where it lands. Yjs integrates such an item from the first clock
 * the note lacks, right after the sender's own item before it, whatever origin the item names
 * (Item.integrate's offset), and an honest page sends one when it repeats part of a change the
 * server had already taken. Returns a problem for an item whose named origin or parent lies in
 * another part of the note than that item: Yjs would link it into one list while counting it in
 * another's. A member's item of 18 letters, overlapping a clock of his own empty paragraph at the
 * top of the note and naming an origin inside her line, was judged as words in her line and
 * stood as bare text outside every paragraph for everyone who read the note (attack, 6 Dec).
 */
export function reanchorOverlaps(known: KnownState, structs: readonly Struct[]): string | null {
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    const from = known.clock(s.id.client);
    if (s.id.clock >= from || s.id.clock + s.length <= from) continue;
    const doc = known.doc();
    const left = Y.getItem(doc.store, Y.createID(s.id.client, from - 1));
    const named = namedPlace(known, s);
    if (!(left instanceof Y.Item) || !named || named.parent !== left.parent || named.sub !== left.parentSub) {
      return 'a change that repeats words the note has already goes on right after them, and this one names another place';
    }
    const offset = from - s.id.clock;
    s.id = Y.createID(s.id.client, from);
    s.origin = Y.createID(s.id.client, from - 1);
    s.content = s.content.splice(offset);
    s.length -= offset;
  }
  return null;
}

/**
 * The type (and map key) the item names as its place, as Yjs resolves it before integrating
 * (Item.getMissing): its explicit parent, else the parent of its left origin, else of its right
 * origin; null when that lies outside what the note holds.
 */
function namedPlace(known: KnownState, s: Y.Item): { parent: unknown; sub: string | null } | null {
  const doc = known.doc();
  const held = (id: Y.ID) => id.clock < known.clock(id.client);
  if (typeof s.parent === 'string') return { parent: doc.share.get(s.parent) ?? null, sub: s.parentSub };
  if (s.parent instanceof Y.ID) {
    const item = held(s.parent) ? Y.getItem(doc.store, s.parent) : null;
    return item instanceof Y.Item && item.content instanceof Y.ContentType ? { parent: item.content.type, sub: s.parentSub } : null;
  }
  const anchor = s.origin ?? s.rightOrigin;
  const item = anchor && held(anchor) ? Y.getItem(doc.store, anchor) : null;
  return item instanceof Y.Item ? { parent: item.parent, sub: item.parentSub } : null;
}
