/**
 * Another's words a therapist deleted from the note, kept for the record. A correction never
 * obliterates what was written: it is struck through, with who made it and when (CMS and Noridian
 * on amended records, `../shared/research/domain.md` §4). The server writes one entry per run of
 * one author's words that an update deletes (`server/collab/struckWords.ts`); the review and the
 * exports show them struck through where they stood.
 */
export interface StruckWords {
  /** Account that deleted them. */
  by: string;
  /** When the server received the deletion (ms, server clock). */
  at: number;
  /** Account that wrote them. */
  author: string;
  /** Yjs id of the first character. */
  client: number;
  clock: number;
  text: string;
  /**
   * The outermost element the same update deleted around them (a paragraph, a list item), by its
   * Yjs id; null when the line they stood in stays. Once a block is deleted, Yjs drops its text
   * and keeps only the block's own id in its place, so that is where they are shown.
   */
  block: { client: number; clock: number } | null;
  /** Inside `block`: which of its text nodes (0, 1, …) and the run's place among all its runs. */
  line: number;
  seq: number;
}

/** Where a deleted item's struck words are: the entries whose characters or block fall in it. */
export interface StruckIndex {
  /** Entries for characters in [from, to) of `client` whose line stays, by clock. */
  inLine(client: number, from: number, to: number): StruckWords[];
  /** Entries of blocks whose id is in [from, to) of `client`, by block, line and place. */
  inBlocks(client: number, from: number, to: number): StruckWords[];
}

export function struckIndex(entries: Iterable<StruckWords>): StruckIndex {
  const inline = new Map<number, StruckWords[]>();
  const blocks = new Map<number, StruckWords[]>();
  for (const e of entries) {
    const [map, client] = e.block ? [blocks, e.block.client] : [inline, e.client];
    map.set(client, [...(map.get(client) ?? []), e]);
  }
  for (const list of inline.values()) list.sort((a, b) => a.clock - b.clock);
  for (const list of blocks.values()) list.sort((a, b) => a.block!.clock - b.block!.clock || a.at - b.at || a.seq - b.seq);
  return {
    inLine: (client, from, to) => (inline.get(client) ?? []).filter((e) => e.clock < to && e.clock + e.text.length > from),
    inBlocks: (client, from, to) => (blocks.get(client) ?? []).filter((e) => e.block!.clock >= from && e.block!.clock < to),
  };
}
