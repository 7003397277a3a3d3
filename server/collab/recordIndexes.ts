import type * as Y from 'yjs';
import { carriedLists, carriedPieces, type AuthorPiece, type CarriedWords } from '../../shared/note/carriedWords';
import { ClientLists } from '../../shared/note/clientLists';
import { formattedLists, formattedOver as over, type FormattedWords } from '../../shared/note/formattedWords';
import type { StruckWords } from '../../shared/note/struckWords';
import type { LateEntry } from '../../shared/domain/observation';
import { liveIndex, type LiveIndex } from './liveIndex';

/*
 * The indexes the after-apply steps read the note's record through (`struck`, `carried`,
 * `formatted`, late entries), each kept up to date change by change (liveIndex.ts).
 */

/** Who wrote each stretch of a client's characters, read through the note's `carried` ranges (carriedWords.ts). */
export function carriedAuthors(carried: Y.Map<CarriedWords>): (client: number, clock: number, len: number) => AuthorPiece[] {
  return carriedPieces(liveIndex(carried, 'authors', carriedLists));
}

/** The entries of `formatted` over a stretch of a client's characters (formattedWords.ts), read through one index. */
export function formattedOver(formatted: Y.Map<FormattedWords>): (client: number, from: number, to: number) => FormattedWords[] {
  return over(liveIndex(formatted, 'index', formattedLists));
}

/** The late-entry ranges over a stretch of a client's characters. */
export function lateEntriesOver(lateEntries: Y.Map<LateEntry>): (client: number, from: number, to: number) => LateEntry[] {
  const lists = liveIndex(lateEntries, 'byClient', () => new ClientLists<LateEntry>((e) => e, (e) => e.len, true));
  return (client, from, to) => lists.over(client, from, to).map(([, e]) => e);
}

/** Each therapist's struck entries whose line stays, by the client of their first character. */
export function struckBySender(struck: Y.Map<StruckWords>): BySender {
  return liveIndex(struck, 'bySender', () => new BySender());
}

/** Struck entries by where each is shown: its own characters, or the element (deleted since) it stood in. */
export function struckPlaces(struck: Y.Map<StruckWords>): ClientLists<StruckWords> {
  return liveIndex(struck, 'places', () => new ClientLists<StruckWords>((e) => e.block ?? e));
}

/** The key of the `carried` range ending right before each character. */
export function carriedEnds(carried: Y.Map<CarriedWords>): Ends {
  return liveIndex(carried, 'ends', () => new Ends());
}

class BySender implements LiveIndex<StruckWords> {
  private readonly lists = new Map<string, ClientLists<StruckWords>>();
  private readonly none = BySender.lists();
  /** How many entries each therapist has, those of deleted lines too. */
  private readonly counts = new Map<string, number>();

  private static lists(): ClientLists<StruckWords> {
    return new ClientLists<StruckWords>((e) => e, (e) => e.text.length, true);
  }

  add(key: string, e: StruckWords): void {
    this.counts.set(e.by, (this.counts.get(e.by) ?? 0) + 1);
    if (e.block !== null) return;
    let lists = this.lists.get(e.by);
    if (!lists) this.lists.set(e.by, (lists = BySender.lists()));
    lists.add(key, e);
  }

  remove(key: string, e: StruckWords): void {
    const left = (this.counts.get(e.by) ?? 0) - 1;
    if (left > 0) this.counts.set(e.by, left);
    else this.counts.delete(e.by);
    if (e.block === null) this.lists.get(e.by)?.remove(key, e);
  }

  of(by: string): ClientLists<StruckWords> {
    return this.lists.get(by) ?? this.none;
  }

  /** Whether `by` has struck entries at all, in lines that stay or not. */
  has(by: string): boolean {
    return this.counts.has(by);
  }
}

class Ends implements LiveIndex<CarriedWords> {
  private readonly keys = new Map<string, string>();

  add(key: string, e: CarriedWords): void {
    this.keys.set(`${e.client}:${e.clock + e.len}`, key);
  }

  remove(key: string, e: CarriedWords): void {
    const end = `${e.client}:${e.clock + e.len}`;
    if (this.keys.get(end) === key) this.keys.delete(end);
  }

  /** The range ending right before `clock` of `client`. */
  at(client: number, clock: number): string | undefined {
    return this.keys.get(`${client}:${clock}`);
  }
}
