import { ClientLists } from './clientLists';

/**
 * Another's words whose formatting a therapist changed, kept for the record. A strike-through is a
 * correction as much as a deletion is: B striking A's "not " in "Client is not at risk." (or taking
 * A's own strike-through off) changes what A's words say, so the record names who did it and when,
 * as it does for deleted words (`struckWords.ts`). The server writes one entry per run of one
 * author's characters and one mark that a client's update changed (`server/collab/formattedWords.ts`);
 * the review and the exports label the words while they still look that way.
 */
export interface FormattedWords {
  /** Account that changed the formatting. */
  by: string;
  /** When the server received the change (ms, server clock). */
  at: number;
  /** Account that wrote the words. */
  author: string;
  /** The characters: `len` from `clock` on under `client` (Yjs ids). */
  client: number;
  clock: number;
  len: number;
  /** The words as they read when changed (for the record; the note holds them). */
  text: string;
  /**
   * Tiptap mark name (strike, bold, italic, underline, code, link), or a block kind the words were
   * moved into or out of (`block:heading`, see {@link blockMark}).
   */
  mark: string;
  /** True: the mark was put on them; false: taken off. */
  on: boolean;
}

/**
 * Blocks whose kind changes how words read: a client's words made a quote read as the client's
 * own, a line made a heading reads as a section title. Turning another's paragraph into one (or
 * out of one) is recorded like formatting her words (attack8 F4, 1 Dec). Paragraphs and list items
 * are the plain forms; a list's kind is its list.
 */
export const BLOCK_KINDS: ReadonlySet<string> = new Set(['heading', 'blockquote', 'bulletList', 'orderedList', 'codeBlock']);

/** The `mark` of an entry for words moved into (`on`) or out of a block of `kind`. */
export const blockMark = (kind: string) => `block:${kind}`;

/** Marks that are only on or off, with nothing that can change while they stay on (a link's address can). */
export const TOGGLED_MARKS: ReadonlySet<string> = new Set(['bold', 'italic', 'strike', 'underline', 'code']);

/** Whether an entry's `mark` is a block kind (blockMark), not a mark the words show. */
export const isBlockMark = (mark: string) => mark.startsWith('block:');

/** The key of an entry in the note's `formatted` map: one per stretch of characters and mark. */
export const formattedKey = (e: FormattedWords) => `${e.client}:${e.clock}:${e.len}:${e.mark}`;

/** Formatting entries kept by client, for `formattedPieces`; keyed as the note's `formatted` map keys them. */
export function formattedLists(): ClientLists<FormattedWords> {
  return new ClientLists<FormattedWords>((e) => e, (e) => e.len);
}

/** Entries by the client of their characters, for finding those over any stretch of them. */
export function formattedIndex(entries: Iterable<FormattedWords>): (client: number, from: number, to: number) => FormattedWords[] {
  const lists = formattedLists();
  for (const e of entries) lists.add(formattedKey(e), e);
  return formattedOver(lists);
}

/** The entries over characters [from, to) of `client`, read through `lists`. */
export function formattedOver(lists: ClientLists<FormattedWords>): (client: number, from: number, to: number) => FormattedWords[] {
  return (client, from, to) => {
    const list = lists.of(client);
    // Entries may overlap (the same words formatted again, another mark): read back from the last
    // starting before `to` only as far as the longest could reach (a member formatting another's
    // words one character at a time makes thousands of entries).
    const reach = lists.longest(client);
    const out: FormattedWords[] = [];
    for (let i = lists.from(client, to) - 1; i >= 0 && list[i]![1].clock + reach > from; i--) {
      const e = list[i]![1];
      if (e.clock + e.len > from) out.push(e);
    }
    return out;
  };
}

/**
 * Of the entries over a character, those that still describe it, and only of the latest person to
 * change any of them; null when none does. `marks` holds the character's marks and the
 * {@link blockMark} of each block kind it stands in.
 *
 * A link (its address can change while it stays on): its latest change, if someone other than the
 * words' writer made it, kept only while the character still has (`on`) or lacks the link.
 *
 * A block kind, and a mark that is only on or off ({@link TOGGLED_MARKS}), says how the words read
 * where they stand now against how their writer wrote them, not the last press of a button:
 * y-prosemirror writes each change of kind as a new copy, so a line made a heading and straight
 * back, or a list and out again, left an entry "taken out of a heading" standing where the copies
 * were cut differently from one time to the next, and the record said the writer wrote a heading
 * (walk, 6 Dec). A mark put on a stretch and taken off part of it did the same: the part read "bold
 * taken off by …" on words their writer never made bold. So, per kind or mark:
 * - what the writer wrote is the kind set by her own latest change of it (she made her line a quote:
 *   it is hers as a quote), else the opposite of the first change on record (the first anyone
 *   made her words a heading, they were not one);
 * - it is labelled only while the character stands otherwise now, in the name and at the time of
 *   the latest change another made of it after hers. Round trips (heading and back, list on and
 *   off) leave nothing; a chain names the net difference: her paragraph made a list, out again,
 *   then a quote by him reads "made a quote"; made a heading by him, then a quote by her, reads
 *   "made a heading" (the quote is hers), and made a paragraph again by her reads as she wrote it.
 * Changes the server received in the same millisecond are taken in the order that ends in how the
 * character stands: a toggle made and taken back nets nothing.
 */
export function formattingNow(entries: readonly FormattedWords[], marks: ReadonlySet<string>): { by: string; at: number; changes: { mark: string; on: boolean }[] } | null {
  const byMark = new Map<string, FormattedWords[]>();
  for (const e of entries) byMark.set(e.mark, [...(byMark.get(e.mark) ?? []), e]);
  const standing: { by: string; at: number; mark: string; on: boolean }[] = [];
  for (const [mark, list] of byMark) {
    const now = marks.has(mark);
    const order = [...list].sort((a, b) => a.at - b.at || Number(a.on === now) - Number(b.on === now));
    if (!isBlockMark(mark) && !TOGGLED_MARKS.has(mark)) {
      // The writer's own latest change of a mark (kept where another's was on record) leaves her words as she made them.
      const last = order.at(-1)!;
      if (last.by !== last.author && last.on === now) standing.push(last);
      continue;
    }
    const own = order.findLastIndex((e) => e.by === e.author);
    const written = own >= 0 ? order[own]!.on : !order[0]!.on;
    const since = order.slice(own + 1).filter((e) => e.by !== e.author);
    const last = since.at(-1);
    if (last && now !== written) standing.push({ by: last.by, at: last.at, mark, on: now });
  }
  if (standing.length === 0) return null;
  const last = standing.reduce((a, b) => (b.at > a.at ? b : a));
  const mine = standing.filter((e) => e.by === last.by).sort((a, b) => a.mark.localeCompare(b.mark));
  return { by: last.by, at: Math.max(...mine.map((e) => e.at)), changes: mine.map((e) => ({ mark: e.mark, on: e.on })) };
}
