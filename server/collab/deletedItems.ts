import * as Y from 'yjs';

/** Deleted clock ranges per client, as a Yjs delete set holds them. */
export type ClockRanges = Map<number, { clock: number; len: number }[]>;

/**
 * Each item of the note still visible before an update that `ranges` delete, with the clocks
 * [from, to) of it they cover; ranges beyond what the note holds are passed over.
 */
export function forEachDeletedItem(doc: Y.Doc, ranges: ClockRanges, visit: (item: Y.Item, from: number, to: number) => void): void {
  for (const [client, list] of ranges) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const end = Y.getState(doc.store, client);
    for (const r of list) {
      const to = Math.min(r.clock + r.len, end);
      if (r.clock >= to) continue;
      for (let i = Y.findIndexSS(structs, r.clock); i < structs.length && structs[i]!.id.clock < to; i++) {
        const s = structs[i]!;
        if (s instanceof Y.Item && !s.deleted) visit(s, Math.max(r.clock, s.id.clock), to);
      }
    }
  }
}
