import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';
import { encodeParts, type Struct } from '../../shared/protocol/updateParts';
import { reanchorOverlaps } from './overlappingItems';
import { judgeEffects } from './updateEffects';
import type { KnownState, NoteShape, UpdateFacts } from './updateFacts';

export const knownFromDoc = (doc: Y.Doc): KnownState => ({
  clock: (client) => Y.getState(doc.store, client),
  isDeleted: (client, from, to) => isDeletedInDoc(doc, client, from, to),
  doc: () => doc,
});

/**
 * Whether the structs of `client` covering [from, to) are all deleted (a GC struct is). Looks only
 * at those structs: building the note's whole delete set for each backspace took time in
 * proportion to the note's length.
 */
function isDeletedInDoc(doc: Y.Doc, client: number, from: number, to: number): boolean {
  if (from >= to) return true;
  const structs = doc.store.clients.get(client);
  if (!structs || to > Y.getState(doc.store, client)) return false;
  for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
    const s = structs[i]!;
    if (s.id.clock >= to) break;
    if (!s.deleted) return false;
  }
  return true;
}

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
  const facts: UpdateFacts = { writers: new Set(), inserted: [], changesDoc: false, newItems: 0, splitPoints: new Map(), complete: true, gaps: new Set(), deletesAhead: new Set(), mapWrites: [], mapDeletes: [], attributeWrites: [], observationMarks: [], marksUnsure: false, deletedText: [], formatted: [], deletedLooks: [], moved: [], extents: [], problem: null };
  const byClient = groupByClient(structs);
  assertOneRunPerClient(update, byClient);
  // Before anything reads an item's place: an item repeating clocks the note has lands elsewhere.
  facts.problem = reanchorOverlaps(known, structs);
  for (const s of structs) {
    if (s instanceof Y.Skip) continue;
    const clock = known.clock(s.id.client);
    if (s.id.clock + s.length <= clock) continue;
    facts.changesDoc = true;
    facts.writers.add(s.id.client);
    if (s instanceof Y.Item) {
      facts.newItems++;
      if (s.origin && cuts(known, s.origin.client, s.origin.clock + 1)) splitAt(facts, s.origin.client, 1);
      if (s.rightOrigin && cuts(known, s.rightOrigin.client, s.rightOrigin.clock)) splitAt(facts, s.rightOrigin.client, 1);
    }
    const from = Math.max(s.id.clock, clock);
    // One range per stretch of a client's clocks, however many structs list it: an update of
    // 120,000 one-clock placeholders was 120,000 late-entry labels kept in the note for good
    // (attack, 3 Dec), and every after-apply step walked each.
    const last = facts.inserted.at(-1);
    if (last?.client === s.id.client && last.clock + last.len === from) last.len += s.id.clock + s.length - from;
    else facts.inserted.push({ client: s.id.client, clock: from, len: s.id.clock + s.length - from });
  }
  const { state: reached, complete } = integrable(known, byClient, facts.gaps);
  const state = complete ? reached : null;
  if (!complete) facts.complete = false;
  for (const [client, ranges] of ds.clients) {
    for (const r of ranges) {
      if (known.isDeleted(client, r.clock, r.clock + r.len)) continue;
      facts.changesDoc = true;
      // One merge with deleted neighbours at most, and a cut at each end that falls inside an item.
      splitAt(facts, client, 1 + Number(cuts(known, client, r.clock)) + Number(cuts(known, client, r.clock + r.len)));
      if (r.clock + r.len > (reached.get(client) ?? known.clock(client))) facts.deletesAhead.add(client);
      if (state && r.clock + r.len > (state.get(client) ?? known.clock(client))) facts.complete = false;
    }
  }
  if (!facts.complete || !facts.changesDoc) return facts;
  judgeEffects(known, byClient, ds, shape, facts);
  return facts;
}

/** Whether one of the note's items of `client` holds both clock `at - 1` and `at`: a boundary there splits it. */
function cuts(known: KnownState, client: number, at: number): boolean {
  if (at <= 0 || at >= known.clock(client)) return false;
  const list = known.doc().store.clients.get(client);
  if (!list) return false;
  const item = list[Y.findIndexSS(list, at)]!;
  return item.id.clock < at;
}

function splitAt(facts: UpdateFacts, client: number, points: number): void {
  facts.splitPoints.set(client, (facts.splitPoints.get(client) ?? 0) + points);
}

/**
 * Throws unless the update lists each client's structs in one non-empty run, as Yjs's own
 * encoders write them. `Y.decodeUpdate` yields every run, but `Y.applyUpdate` keeps only the last
 * run of a client (readClientsStructRefs): an update that lists a client twice was judged on
 * structs Yjs never applied, and a co-therapist's text, records and answers were rewritten in the
 * other's name through it (attack, 3 Dec).
 */
function assertOneRunPerClient(update: Uint8Array, byClient: Map<number, Struct[]>): void {
  const runs = decoding.readVarUint(decoding.createDecoder(update));
  if (runs !== byClient.size) throw new Error(`the update lists ${runs} runs of structs for ${byClient.size} clients`);
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
 * of the update's structs get there. Mirrors Yjs's integration (per client in clock order, a
 * struct waiting for another client's clock goes in once that client gets there), but stricter:
 * an item may only refer to its own client's earlier clocks, never to later ones. `complete` when every struct would be integrated. Each struct is looked at once
 * more per client it waited for: a fixed point over all clients took time in the square of
 * them, and 12,000 one-letter clients chained through their origins held the loop 20 s (attack,
 * 3 Dec).
 */
function integrable(known: KnownState, byClient: Map<number, Struct[]>, gaps: Set<number>): { state: Map<number, number>; next: Map<number, number>; complete: boolean } {
  const state = new Map<number, number>();
  const at = (client: number) => state.get(client) ?? known.clock(client);
  const next = new Map<number, number>();
  /** The client whose clock `dep` needs and the note does not reach yet; `self` for an own clock that is not earlier. */
  const waitsFor = (dep: Y.ID | null, self: Y.ID): number | null => {
    if (dep === null) return null;
    if (dep.client === self.client) return dep.clock < self.clock ? null : self.client;
    return dep.clock < at(dep.client) ? null : dep.client;
  };
  // A worklist: a client goes as far as it can, then waits for the client it needs; each time a
  // client gets further, those waiting on it go on. A client marked done while the one it waited
  // for was itself waiting on it stopped short, and an update whose two client ids alternate (two
  // tabs writing one value in turn) was held for good as incomplete (attack, 5 Dec). Each struct
  // is passed once, and a client is woken only by another's progress.
  const waiting = new Map<number, number[]>();
  const work = [...byClient.keys()];
  const queued = new Set(work);
  while (work.length > 0) {
    const client = work.pop()!;
    queued.delete(client);
    const list = byClient.get(client)!;
    const from = next.get(client) ?? 0;
    let i = from;
    let needs: number | null = null;
    for (; i < list.length; i++) {
      const s = list[i]!;
      if (s instanceof Y.Skip) continue;
      const clock = at(client);
      if (s.id.clock > clock) break;
      if (s.id.clock + s.length <= clock) continue;
      if (s instanceof Y.Item) {
        needs = waitsFor(s.origin, s.id) ?? waitsFor(s.rightOrigin, s.id) ?? waitsFor(s.parent instanceof Y.ID ? s.parent : null, s.id);
        if (needs !== null) break;
      }
      state.set(client, s.id.clock + s.length);
    }
    next.set(client, i);
    if (i > from) {
      for (const woken of waiting.get(client) ?? []) {
        if (queued.has(woken)) continue;
        queued.add(woken);
        work.push(woken);
      }
      waiting.delete(client);
    }
    // Another client of the update may still get there; the note itself will not (a gap).
    if (needs !== null && needs !== client && byClient.has(needs)) {
      const waiters = waiting.get(needs);
      if (waiters) waiters.push(client);
      else waiting.set(needs, [client]);
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
