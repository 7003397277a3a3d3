/** `ClientLists.spans` key of all clients' entries together (no Yjs client id is negative). */
const ALL = -1;

/** Where an entry stands: a Yjs client id and a clock under it. */
export type Place = { client: number; clock: number };

/**
 * Keyed entries about a stretch of one Yjs client's characters, by client, each client's in clock
 * order (then key order), kept as entries come and go. The server's record of a note (`struck`, `carried`,
 * `formatted`, late entries) grows with every correction; its indexes take each change as it comes
 * instead of being built again from every entry, which made each keystroke after a correction cost
 * in proportion to the whole record (7.7 ms a frame after 6,000 struck letters, 2 Dec).
 *
 * `place` says where an entry is kept (its own first character by default); `span`, when given,
 * is how many characters it covers, so that `longest` can bound a search for entries over a stretch.
 */
export class ClientLists<T> {
  private readonly lists = new Map<number, [key: string, value: T][]>();
  /** Per client, and over all (ALL), how many entries cover each length, and the longest (null: to be read again). */
  private readonly spans = new Map<number, { counts: Map<number, number>; longest: number | null }>();

  constructor(
    private readonly place: (value: T) => Place,
    private readonly span?: (value: T) => number,
    /**
     * Whether one client's entries never overlap (each character is struck, carried or labelled
     * late once): then `over` reads from the last entry starting before the stretch, not back as
     * far as the longest entry reaches (one long strike made every lookup read the whole record:
     * attack, 2 Dec).
     */
    private readonly disjoint = false,
  ) {}

  add(key: string, value: T): void {
    const { client, clock } = this.place(value);
    let list = this.lists.get(client);
    if (!list) this.lists.set(client, (list = []));
    list.splice(this.search(list, clock, key), 0, [key, value]);
    this.count(client, value, 1);
  }

  /** Takes out the entry under `key`, which must be where `value` places it. */
  remove(key: string, value: T): void {
    const { client, clock } = this.place(value);
    const list = this.lists.get(client);
    if (!list) return;
    const i = this.search(list, clock, key);
    if (list[i]?.[0] !== key) return;
    list.splice(i, 1);
    if (list.length === 0) this.lists.delete(client);
    this.count(client, value, -1);
  }

  /** The client's entries, in clock order (read only). */
  of(client: number): readonly (readonly [key: string, value: T])[] {
    return this.lists.get(client) ?? [];
  }

  /** Index in `of(client)` of the first entry at or after `clock`. */
  from(client: number, clock: number): number {
    return this.search(this.lists.get(client) ?? [], clock, null);
  }

  /** The entries placed at clocks [from, to) of `client`, in clock order. */
  within(client: number, from: number, to: number): (readonly [key: string, value: T])[] {
    const list = this.of(client);
    const out: (readonly [string, T])[] = [];
    for (let i = this.from(client, from); i < list.length && this.place(list[i]![1]).clock < to; i++) out.push(list[i]!);
    return out;
  }

  /** The entries over any character in [from, to) of `client`, in clock order (by `span`). */
  over(client: number, from: number, to: number): (readonly [key: string, value: T])[] {
    const start = this.disjoint ? this.of(client)[this.from(client, from) - 1]?.[1] : undefined;
    const back = this.disjoint ? (start === undefined ? from : this.place(start).clock) : from - this.longest(client) + 1;
    return this.within(client, back, to).filter(([, e]) => this.place(e).clock + this.span!(e) > from);
  }

  /** The longest `span` of the client's entries (of all entries without a client); 0 when none. */
  longest(client?: number): number {
    const spans = this.spans.get(client ?? ALL);
    if (!spans) return 0;
    // Distinct lengths are few: entries of n lengths cover at least n(n+1)/2 characters.
    spans.longest ??= Math.max(0, ...spans.counts.keys());
    return spans.longest;
  }

  /** Binary search: the first entry at or after `clock` and, at `clock`, at or after `key` (in code unit order). */
  private search(list: readonly (readonly [string, T])[], clock: number, key: string | null): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const at = this.place(list[mid]![1]).clock;
      if (at < clock || (at === clock && key !== null && list[mid]![0] < key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private count(client: number, value: T, by: 1 | -1): void {
    if (!this.span) return;
    const len = this.span(value);
    for (const at of [client, ALL]) {
      let spans = this.spans.get(at);
      if (!spans) this.spans.set(at, (spans = { counts: new Map(), longest: 0 }));
      const n = (spans.counts.get(len) ?? 0) + by;
      if (n > 0) spans.counts.set(len, n);
      else spans.counts.delete(len);
      if (by > 0 && spans.longest !== null) spans.longest = Math.max(spans.longest, len);
      if (n === 0 && len === spans.longest) spans.longest = null;
    }
  }
}
