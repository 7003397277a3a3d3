import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';
import { encodeParts, type Struct } from '../../shared/protocol/updateParts';

/** One value an update writes under a key of a watched root map (every value, not only the last). */
export interface MapWrite {
  map: string;
  key: string;
  value: unknown;
  client: number;
}

/** A key's visible value that an update would remove (by deleting it, or by a deleted value put after it). */
export interface MapDelete {
  map: string;
  key: string;
  /** Client id that wrote the value being removed. */
  client: number;
}

/** What an update would do to the note, decoded without applying it. */
export interface UpdateFacts {
  /** Client ids of the items the update inserts (deletions carry no author). */
  writers: Set<number>;
  /** Ranges of new items: who wrote how much, for attestation and late-entry labels. */
  inserted: { client: number; clock: number; len: number }[];
  /** Whether applying it would change the document at all. */
  changesDoc: boolean;
  /**
   * False when Yjs would park part of it as pending: a struct or deletion that depends on clocks
   * the note does not have yet. Such an update is never applied as it is; nothing in it has been
   * judged (its effects depend on the parts still missing).
   */
  complete: boolean;
  /** Client ids whose structs start beyond the note's clock for them (a gap, not a missing reference). */
  gaps: Set<number>;
  /** Every value written to a watched map, in update order. Filled only for complete updates. */
  mapWrites: MapWrite[];
  /** Every visible watched-map value the update would remove. Filled only for complete updates. */
  mapDeletes: MapDelete[];
  /**
   * Every value an update writes to an element's attribute (undefined: removed), in update order.
   * Filled only for complete updates. Guards that need the session (who a mention may name) read it.
   */
  attributeWrites: AttributeWrite[];
  /** Why the update's content is not something the note may hold; null when it is. */
  problem: string | null;
}

/** One value written to an attribute of an element of the note. */
export interface AttributeWrite {
  node: string;
  attribute: string;
  value: unknown;
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

/** Where the note's content may go, and what each place may hold. */
export interface NoteShape {
  /** Root maps whose writes are judged value by value. */
  watchedMaps: readonly string[];
  /** The root XmlFragment with the rich text. */
  textRoot: string;
  /** Why an element's attribute value is refused (undefined value: removed), or null. */
  attributeProblem(node: string, attribute: string, value: unknown): string | null;
  /** Why a mark (a formatting attribute in text) is refused, or null. */
  markProblem(mark: string, value: unknown): string | null;
  /** Whether an element of this name may be in the note. */
  isNode(name: string): boolean;
}


/**
 * Where an item lands once integrated, found the way Yjs finds it: an explicit root name or parent
 * item, else the parent of its left origin, else of its right origin. `gc`: Yjs turns it into a
 * garbage-collected struct (its neighbour or parent is gone), so it changes nothing visible.
 */
type Place =
  | { kind: 'gc' }
  | { kind: 'root'; name: string; sub: string | null }
  | { kind: 'element'; node: string; sub: string | null }
  | { kind: 'text'; sub: string | null }
  | { kind: 'other' };

/**
 * Decodes an update and works out what applying it would do, without applying it. Throws on
 * malformed input. The effects are those of the resulting note, not of the bytes' arrangement:
 * each item's place is resolved through its origins as Yjs would, every value written under a
 * watched key is reported (Yjs shows the last one, so each must pass), and an update that Yjs
 * would integrate only in part (pending structs or deletions beyond known clocks) is reported as
 * incomplete, to be held back and judged whole once its dependencies arrived.
 *
 * A read-only client's sync step 2 always carries its whole delete set, so "has deletions" is not
 * "changes the document": a deletion only counts when the note does not already have it deleted.
 */
export function inspectUpdate(known: KnownState, update: Uint8Array, shape: NoteShape): UpdateFacts {
  const { structs, ds } = Y.decodeUpdate(update);
  const facts: UpdateFacts = { writers: new Set(), inserted: [], changesDoc: false, complete: true, gaps: new Set(), mapWrites: [], mapDeletes: [], attributeWrites: [], problem: null };
  const byClient = groupByClient(structs);
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const clock = known.clock(s.id.client);
    if (s.id.clock + s.length <= clock) continue;
    facts.changesDoc = true;
    facts.writers.add(s.id.client);
    const from = Math.max(s.id.clock, clock);
    facts.inserted.push({ client: s.id.client, clock: from, len: s.id.clock + s.length - from });
  }
  const { state: reached, complete } = integrable(known, byClient, facts.gaps);
  const state = complete ? reached : null;
  if (!complete) facts.complete = false;
  const deleted = ds.clients.size > 0 ? known.deleteSet() : null;
  for (const [client, ranges] of ds.clients) {
    const have = deleted?.clients.get(client) ?? [];
    for (const r of ranges) {
      if (isCovered(have, r.clock, r.clock + r.len)) continue;
      facts.changesDoc = true;
      if (state && r.clock + r.len > (state.get(client) ?? known.clock(client))) facts.complete = false;
    }
  }
  if (!facts.complete || !facts.changesDoc) return facts;
  judgeEffects(known, byClient, ds, deleted, shape, facts);
  return facts;
}

function groupByClient(structs: Struct[]): Map<number, Struct[]> {
  const byClient = new Map<number, Struct[]>();
  for (const s of structs) {
    const list = byClient.get(s.id.client);
    if (list) list.push(s);
    else byClient.set(s.id.client, [s]);
  }
  return byClient;
}

/**
 * How far Yjs could integrate the update: the clocks the note would reach, and per client how many
 * of the update's structs get there. Mirrors Yjs's integration loop (per client in clock order,
 * following dependencies), but stricter: an item may only refer to its own client's earlier
 * clocks, never to later ones. `complete` when every struct would be integrated.
 */
function integrable(known: KnownState, byClient: Map<number, Struct[]>, gaps: Set<number>): { state: Map<number, number>; next: Map<number, number>; complete: boolean } {
  const state = new Map<number, number>();
  const at = (client: number) => state.get(client) ?? known.clock(client);
  const next = new Map<number, number>();
  const has = (dep: Y.ID | null, self: Y.ID) =>
    dep === null || (dep.client === self.client ? dep.clock < self.clock : dep.clock < at(dep.client));
  let progress = true;
  while (progress) {
    progress = false;
    for (const [client, list] of byClient) {
      let i = next.get(client) ?? 0;
      for (; i < list.length; i++) {
        const s = list[i]!;
        if (s instanceof Y.Skip) continue;
        const clock = at(client);
        if (s.id.clock > clock) break;
        if (s.id.clock + s.length <= clock) continue;
        if (s instanceof Y.Item && !(has(s.origin, s.id) && has(s.rightOrigin, s.id) && has(s.parent instanceof Y.ID ? s.parent : null, s.id))) break;
        state.set(client, s.id.clock + s.length);
        progress = true;
      }
      next.set(client, i);
    }
  }
  let complete = true;
  for (const [client, list] of byClient) {
    const rest = list.slice(next.get(client) ?? 0).filter((s) => !(s instanceof Y.Skip));
    if (rest.length === 0) continue;
    complete = false;
    if (rest[0]!.id.clock > at(client)) gaps.add(client);
  }
  return { state, next, complete };
}

/**
 * Splits an update Yjs could integrate only in part into that part (`ready`, to be judged and
 * applied like any update) and the rest (`waiting`, held until what it refers to arrives). After a
 * crash each co-therapist may hold the other's unstored edits with their own written on top:
 * neither update is complete alone, but item by item they are (items only ever refer to earlier
 * ones), so what can go in goes in, and the rest follows. Null when nothing can go in yet.
 */
export function splitUpdate(known: KnownState, update: Uint8Array): { ready: Uint8Array; waiting: Uint8Array } | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const byClient = groupByClient(structs);
  const { state, next } = integrable(known, byClient, new Set());
  if (state.size === 0) return null;
  const ready = new Map<number, Struct[]>();
  const waiting = new Map<number, Struct[]>();
  for (const [client, list] of byClient) {
    const cut = next.get(client) ?? 0;
    ready.set(client, list.slice(0, cut).filter((s) => !(s instanceof Y.Skip)));
    waiting.set(client, list.slice(cut));
  }
  const readyDs: DeleteSet = { clients: new Map() };
  const waitingDs: DeleteSet = { clients: new Map() };
  for (const [client, ranges] of ds.clients) {
    const reach = state.get(client) ?? known.clock(client);
    for (const r of ranges) {
      const end = r.clock + r.len;
      if (r.clock < reach) push(readyDs, client, r.clock, Math.min(end, reach) - r.clock);
      if (end > reach) push(waitingDs, client, Math.max(r.clock, reach), end - Math.max(r.clock, reach));
    }
  }
  return { ready: encodeParts(ready, readyDs), waiting: encodeParts(waiting, waitingDs) };
}

function push(ds: DeleteSet, client: number, clock: number, len: number): void {
  const list = ds.clients.get(client) ?? [];
  list.push({ clock, len });
  ds.clients.set(client, list);
}

/** Fills `mapWrites` and `mapDeletes`, or sets `problem` when something may not be in the note. */
function judgeEffects(known: KnownState, byClient: Map<number, Struct[]>, ds: DeleteSet, deleted: DeleteSet | null, shape: NoteShape, facts: UpdateFacts): void {
  const doc = known.doc();
  const places = new Map<Y.Item, Place>();
  let structCount = 0;
  for (const list of byClient.values()) structCount += list.length;
  // Binary search: a client's structs in an update are in clock order.
  const own = (id: Y.ID): Struct | null => {
    const list = byClient.get(id.client);
    if (!list) return null;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return null;
  };
  const lookup = (id: Y.ID): Struct | null => {
    const inUpdate = own(id);
    if (inUpdate && !(inUpdate instanceof Y.Skip) && id.clock >= known.clock(id.client)) return inUpdate;
    return id.clock < known.clock(id.client) ? (Y.getItem(doc.store, id) as Y.Item | Y.GC) : null;
  };
  // Iterative: an offline device's sync can chain thousands of items through their origins.
  const placeOf = (start: Y.Item): Place => {
    const chain: Y.Item[] = [];
    let item = start;
    let place: Place | undefined;
    while (place === undefined) {
      const cached = places.get(item);
      if (cached) {
        place = cached;
        break;
      }
      const step = directPlace(item);
      if (step instanceof Y.Item) {
        chain.push(item);
        // Dependencies were checked to be acyclic; this bound only keeps a bug from looping.
        if (chain.length > places.size + byClient.size + structCount) place = { kind: 'other' };
        item = step;
      } else {
        place = step;
        places.set(item, step);
      }
    }
    for (const c of chain) places.set(c, place);
    return place;
  };
  /** The item's place, or the in-update neighbour whose place it shares. */
  const directPlace = (item: Y.Item): Place | Y.Item => {
    if (isIntegrated(doc, item)) return placeOfType(item.parent as Y.AbstractType<unknown>, item.parentSub);
    if (typeof item.parent === 'string') return { kind: 'root', name: item.parent, sub: item.parentSub };
    if (item.parent instanceof Y.ID) {
      const parent = lookup(item.parent);
      if (!(parent instanceof Y.Item) || !(parent.content instanceof Y.ContentType)) return { kind: 'gc' };
      return placeOfContentType(parent, item.parentSub);
    }
    const left = item.origin ? lookup(item.origin) : null;
    const right = item.rightOrigin ? lookup(item.rightOrigin) : null;
    if (left instanceof Y.GC || right instanceof Y.GC) return { kind: 'gc' };
    const neighbour = left instanceof Y.Item ? left : right instanceof Y.Item ? right : null;
    return neighbour ?? { kind: 'gc' };
  };
  const placeOfContentType = (parent: Y.Item, sub: string | null): Place => {
    if (isIntegrated(doc, parent)) return placeOfType((parent.content as Y.ContentType).type, sub);
    const type = (parent.content as Y.ContentType).type;
    // A type written in this update: judged where it is inserted; here only its kind matters.
    return typeKind(type, sub);
  };
  const placeOfType = (type: Y.AbstractType<unknown>, sub: string | null): Place => {
    if (type._item === null) {
      const name = Y.findRootTypeKey(type);
      return { kind: 'root', name, sub };
    }
    return typeKind(type, sub);
  };

  const problem = (message: string) => {
    facts.problem ??= message;
  };
  for (const list of byClient.values()) {
    for (const s of list) {
      if (!(s instanceof Y.Item) || s.id.clock + s.length <= known.clock(s.id.client)) continue;
      const place = placeOf(s);
      const content = s.content;
      const removed = content instanceof Y.ContentDeleted;
      switch (place.kind) {
        case 'gc':
          break;
        case 'other':
          problem('content under a part of the note that holds no such content');
          break;
        case 'root':
          if (shape.watchedMaps.includes(place.name)) {
            if (place.sub === null) problem(`"${place.name}" is a map; it holds keyed values only`);
            else if (removed) facts.mapDeletes.push(...visibleValueOf(doc, place.name, place.sub));
            // Yjs merges consecutive values of one key into one item (a map shows the last of them).
            else if (content instanceof Y.ContentAny) for (const value of content.arr) facts.mapWrites.push({ map: place.name, key: place.sub, value, client: s.id.client });
            else problem(`"${place.name}" holds plain values only`);
          } else if (place.name === shape.textRoot) {
            if (place.sub !== null) problem('the note has no attributes');
            else if (!removed && !isAllowedElement(content, shape)) problem(elementProblem(content));
          } else {
            problem(`"${place.name}" is not part of the note`);
          }
          break;
        case 'element':
          if (place.sub !== null) {
            const values = removed ? [undefined] : content instanceof Y.ContentAny ? content.arr : null;
            if (!values) problem(`"${place.node}" attributes hold plain values only`);
            for (const value of values ?? []) {
              const why = shape.attributeProblem(place.node, place.sub, value);
              if (why) problem(why);
              facts.attributeWrites.push({ node: place.node, attribute: place.sub, value });
            }
          } else if (!removed && !isAllowedElement(content, shape) && !(content instanceof Y.ContentType && content.type instanceof Y.XmlText)) {
            problem(elementProblem(content));
          }
          break;
        case 'text':
          if (place.sub !== null) problem('text has no attributes');
          else if (content instanceof Y.ContentFormat) {
            const why = shape.markProblem(content.key, content.value);
            if (why) problem(why);
          } else if (!removed && !(content instanceof Y.ContentString)) problem('text holds characters and marks only');
          break;
      }
    }
  }
  for (const [client, ranges] of ds.clients) {
    const have = deleted?.clients.get(client) ?? [];
    for (const r of ranges) {
      if (isCovered(have, r.clock, r.clock + r.len)) continue;
      facts.mapDeletes.push(...deletedMapValues(doc, client, r.clock, r.len, shape.watchedMaps));
    }
  }
}

const isIntegrated = (doc: Y.Doc, item: Y.Item): boolean => item.parent instanceof Y.AbstractType && item.parent.doc === doc;

function typeKind(type: Y.AbstractType<unknown>, sub: string | null): Place {
  if (type instanceof Y.XmlElement) return { kind: 'element', node: type.nodeName, sub };
  if (type instanceof Y.XmlText) return { kind: 'text', sub };
  return { kind: 'other' };
}

function isAllowedElement(content: Y.Item['content'], shape: NoteShape): boolean {
  return content instanceof Y.ContentType && content.type instanceof Y.XmlElement && shape.isNode(content.type.nodeName);
}

function elementProblem(content: Y.Item['content']): string {
  if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) return `"${content.type.nodeName}" is not a node the note can hold`;
  return 'the note holds elements and text only';
}

/** A key's visible value, as a deletion of it: removed by a deleted value put after it. */
function visibleValueOf(doc: Y.Doc, map: string, key: string): MapDelete[] {
  const item = (doc.getMap(map) as unknown as { _map: Map<string, Y.Item> })._map.get(key);
  return item && !item.deleted ? [{ map, key, client: item.id.client }] : [];
}

/** The watched-map values that deleting `[clock, clock + len)` of `client` would remove. */
function deletedMapValues(doc: Y.Doc, client: number, clock: number, len: number, watched: readonly string[]): MapDelete[] {
  const structs = doc.store.clients.get(client);
  if (!structs) return [];
  const out: MapDelete[] = [];
  const end = Math.min(clock + len, Y.getState(doc.store, client));
  if (clock >= end) return out;
  for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
    const s = structs[i]!;
    if (s.id.clock >= end) break;
    if (s instanceof Y.Item && !s.deleted && s.parentSub !== null && s.parent instanceof Y.AbstractType && s.parent._item === null) {
      const name = Y.findRootTypeKey(s.parent);
      if (watched.includes(name)) out.push({ map: name, key: s.parentSub, client: s.id.client });
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
