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
  /**
   * The words as they read when changed (for the record; the note holds them); of a block's
   * attribute changed in place, those of the stretch's first line.
   */
  text: string;
  /**
   * Tiptap mark name (strike, bold, italic, underline, code, link), or a block kind the words were
   * moved into or out of (`block:heading`, see {@link blockMark}).
   */
  mark: string;
  /** True: the mark was put on them; false: taken off. */
  on: boolean;
  /**
   * A change of a block's attribute (`mark`: attributeMark): the value given (`value`), and the
   * value the words' writer wrote them in (`was`: hers where the change is hers), as attributeKind
   * writes them (an unset one is its default).
   */
  value?: unknown;
  was?: unknown;
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

/**
 * Attributes of block kinds that change how their words read, each with the editor's default (an
 * element without the attribute reads as the default: y-prosemirror leaves out a null one, and a
 * template's list has no `start`). A co-therapist set them on the other's lines unrecorded: A's
 * "1. 2. 3." of a plan read "7. 8. 9.", her level-2 heading a level-4 one, as her work (attack, 6
 * Dec). A change of one is kept as formatting of the block's words under {@link attributeMark},
 * with the value given and the value their writer wrote them in (FormattedWords `value`, `was`).
 */
export const LABELLED_ATTRIBUTES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  heading: { level: 1 },
  orderedList: { start: 1, type: null },
  codeBlock: { language: null },
};

/** The `mark` of an entry for a change of `attribute` of the `node` around the words: `block:heading.level`. */
export const attributeMark = (node: string, attribute: string) => blockMark(`${node}.${attribute}`);

/** Whether an entry's `mark` is a block's attribute ({@link attributeMark}). */
export const isAttributeMark = (mark: string) => /^block:\w+\.\w+$/.test(mark);

/**
 * How words stand as to `attribute` of the `node` around them at `value` (undefined: not set, read
 * as the default), as a kind among their blocks': `heading.level=2`, `orderedList.type="a"`.
 */
export function attributeKind(node: string, attribute: string, value: unknown): string {
  return `${node}.${attribute}=${JSON.stringify(attributeValue(node, attribute, value))}`;
}

/** An attribute's value as it reads: unset (undefined or null) is the editor's default, or null. */
export function attributeValue(node: string, attribute: string, value: unknown): unknown {
  const defaults = Object.hasOwn(LABELLED_ATTRIBUTES, node) ? LABELLED_ATTRIBUTES[node]! : {};
  return value ?? (Object.hasOwn(defaults, attribute) ? defaults[attribute] : null) ?? null;
}

/** The attribute kinds of a `node` whose attribute values `attr` reads; none for a node without labelled attributes. */
export function attributeKinds(node: string, attr: (attribute: string) => unknown): string[] {
  if (!Object.hasOwn(LABELLED_ATTRIBUTES, node)) return [];
  return Object.keys(LABELLED_ATTRIBUTES[node]!).map((a) => attributeKind(node, a, attr(a)));
}

/** What an attribute kind says (node, attribute, value), bare or as a {@link blockMark}; null for any other. */
export function attributeOfKind(kind: string): { node: string; attribute: string; value: unknown } | null {
  const found = /^(?:block:)?(\w+)\.(\w+)=(.*)$/.exec(kind);
  return found ? { node: found[1]!, attribute: found[2]!, value: JSON.parse(found[3]!) as unknown } : null;
}

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
 *
 * A block's attribute ({@link attributeMark}: a heading's level, a list's numbering) has values, not
 * on and off: `marks` holds the value the character's block has now as an attribute kind
 * (`block:heading.level=4`), and the label names it while it is not the one its writer wrote the
 * words in (attributeNow).
 */
export function formattingNow(entries: readonly FormattedWords[], marks: ReadonlySet<string>): { by: string; at: number; changes: { mark: string; on: boolean }[] } | null {
  const byMark = new Map<string, FormattedWords[]>();
  for (const e of entries) byMark.set(e.mark, [...(byMark.get(e.mark) ?? []), e]);
  const standing: { by: string; at: number; mark: string; on: boolean }[] = [];
  for (const [mark, list] of byMark) {
    const now = marks.has(mark);
    const order = [...list].sort((a, b) => a.at - b.at || Number(a.on === now) - Number(b.on === now));
    if (isAttributeMark(mark)) {
      const change = attributeNow(order, mark, marks);
      if (change) standing.push(change);
      continue;
    }
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

/**
 * A block's attribute as it stands for words against the value their writer wrote them in: the
 * latest change of it, if another made it and the value now (the attribute kind among `marks`)
 * is not the writer's; labelled with the value now (`block:heading.level=4`). The writer's own
 * change made her value the one she wrote in; a round trip (level 2 to 3 and back) leaves none.
 * Words no longer in such a block say nothing of it (the kind's own label does).
 */
function attributeNow(order: readonly FormattedWords[], mark: string, marks: ReadonlySet<string>): { by: string; at: number; mark: string; on: boolean } | null {
  const last = order.at(-1)!;
  const now = [...marks].find((m) => m.startsWith(`${mark}=`));
  if (!now || last.by === last.author || !('was' in last)) return null;
  return now === `${mark}=${JSON.stringify(last.was)}` ? null : { by: last.by, at: last.at, mark: now, on: true };
}
