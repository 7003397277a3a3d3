/**
 * Another's words a therapist deleted from the note, kept for the record. A correction never
 * obliterates what was written: it is struck through, with who made it and when (CMS and Noridian
 * on amended records: a correction is struck through, dated and attributed). The server writes one entry per run of
 * one author's words that an update deletes (`server/collab/struckWords.ts`); the review and the
 * exports show them struck through where they stood.
 */
export interface StruckWords {
  /** Account that deleted them. */
  by: string;
  /** When the server received the deletion (ms, server clock). */
  at: number;
  /** Account that wrote them; null: the server (a member note's words, derived from the group note). */
  author: string | null;
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
  /**
   * How they looked when deleted (marks, canonical, from offset `at` on), so that an undo is
   * carried only if it writes them looking the same; absent in entries from before it was kept.
   */
  looks?: { at: number; marks: string }[];
  /**
   * The block kinds they stood in when deleted (BLOCK_KINDS, sorted), so that an undo writing them
   * into a quote, heading or list is labelled as that (formattedWords.ts); absent in entries from
   * before it was kept (attack9, 1 Dec).
   */
  blocks?: string[];
  /**
   * Only for words the deleter never saw (typed into the line after she read it, gone with it:
   * server/collab/deletedText.ts `unseen`): the last character of her copy of the line's words
   * before them. Their writer's page writes them again right after it, and then nobody deleted
   * them (server/collab/unseenWords.ts).
   */
  unseenAfter?: { client: number; clock: number };
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
  const add = (map: Map<number, StruckWords[]>, client: number, e: StruckWords) => {
    const list = map.get(client);
    if (list) list.push(e);
    else map.set(client, [e]);
  };
  for (const e of entries) {
    if (e.block) add(blocks, e.block.client, e);
    else add(inline, e.client, e);
  }
  for (const list of inline.values()) list.sort((a, b) => a.clock - b.clock);
  for (const list of blocks.values()) list.sort((a, b) => a.block!.clock - b.block!.clock || a.seq - b.seq || a.clock - b.clock);
  /** Index of the first entry of `list` whose `start` is at or past `at`. */
  const firstFrom = <T>(list: T[], start: (e: T) => number, at: number) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (start(list[mid]!) < at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    inLine(client, from, to) {
      const list = inline.get(client) ?? [];
      // Each character is deleted once, so entries do not overlap: at most one starts before `from` and reaches into it.
      const first = Math.max(0, firstFrom(list, (e) => e.clock, from) - 1);
      const out: StruckWords[] = [];
      for (let i = first; i < list.length && list[i]!.clock < to; i++) if (list[i]!.clock + list[i]!.text.length > from) out.push(list[i]!);
      return out;
    },
    inBlocks(client, from, to) {
      const list = blocks.get(client) ?? [];
      const out: StruckWords[] = [];
      for (let i = firstFrom(list, (e) => e.block!.clock, from); i < list.length && list[i]!.block!.clock < to; i++) out.push(list[i]!);
      return out;
    },
  };
}
