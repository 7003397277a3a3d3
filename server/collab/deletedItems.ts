import * as Y from 'yjs';

/** Deleted clock ranges per client, as a Yjs delete set holds them. */
export type ClockRanges = Map<number, { clock: number; len: number }[]>;

/**
 * Each item of the note still visible before an update that `ranges` delete, with the clocks
 * [from, to) of it they cover; ranges beyond what the note holds are passed over.
 */
export function forEachDeletedItem(doc: Y.Doc, ranges: ClockRanges, visit: (item: Y.Item, from: number, to: number) => void): void {
  for (const [client, list] of ranges) {
    for (const r of list) {
      eachStruct(doc, client, r.clock, r.clock + r.len, (s, to) => {
        if (s instanceof Y.Item && !s.deleted) visit(s, Math.max(r.clock, s.id.clock), to);
      });
    }
  }
}

/** Each struct of `client` the note holds with clocks in [from, to), and `to` bounded by what it holds. */
export function eachStruct(doc: Y.Doc, client: number, from: number, to: number, visit: (s: Y.Item | Y.GC, to: number) => void): void {
  const structs = doc.store.clients.get(client);
  if (!structs) return;
  const end = Math.min(to, Y.getState(doc.store, client));
  if (from >= end) return;
  for (let i = Y.findIndexSS(structs, from); i < structs.length && structs[i]!.id.clock < end; i++) visit(structs[i]!, end);
}
