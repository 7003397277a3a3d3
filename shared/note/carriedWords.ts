import { ClientLists } from './clientLists';

/**
 * Words moved by a co-therapist keep their author. Yjs writes a move (a line split or joined by
 * the other therapist, an undo of her deletion) as the old characters deleted and new ones under
 * the mover's client id; the server, which saw both in one update, records that the new characters
 * carry the words of the one who wrote them (`server/collab/struckWords.ts`), and the review reads
 * authorship through these ranges before the client ids.
 */
export interface CarriedWords {
  /** The new characters: `len` from `clock` on under `client`. */
  client: number;
  clock: number;
  len: number;
  /** Account that wrote the words they carry; null: the server (a member note's derived words). */
  author: string | null;
}

/** A stretch of one client's characters with the account that wrote it, where a range says so. */
export interface AuthorPiece {
  clock: number;
  len: number;
  /** undefined: no range covers it (the client id's own account is the author); null: the server. */
  author: string | null | undefined;
}

/** Carried ranges kept by client, for `carriedPieces`; keyed as the note's `carried` map keys them. */
export function carriedLists(): ClientLists<CarriedWords> {
  return new ClientLists<CarriedWords>((c) => c);
}

/** Carried ranges by client, for reading authorship of any stretch of characters. */
export function carriedIndex(entries: Iterable<CarriedWords>): (client: number, clock: number, len: number) => AuthorPiece[] {
  const lists = carriedLists();
  for (const e of entries) lists.add(`${e.client}:${e.clock}`, e);
  return carriedPieces(lists);
}

/** Who wrote each piece of `len` characters of `client` from `clock` on, read through `lists`. */
export function carriedPieces(lists: ClientLists<CarriedWords>): (client: number, clock: number, len: number) => AuthorPiece[] {
  return (client, clock, len) => {
    const list = lists.of(client);
    if (list.length === 0) return [{ clock, len, author: undefined }];
    const end = clock + len;
    const pieces: AuthorPiece[] = [];
    let at = clock;
    // Ranges do not overlap (each new character is carried once): from the last one starting at or before `clock`.
    for (let i = Math.max(0, lists.from(client, clock + 1) - 1); i < list.length && list[i]![1].clock < end; i++) {
      const r = list[i]![1];
      const from = Math.max(at, r.clock);
      const to = Math.min(end, r.clock + r.len);
      if (to <= from) continue;
      if (from > at) pieces.push({ clock: at, len: from - at, author: undefined });
      pieces.push({ clock: from, len: to - from, author: r.author });
      at = to;
    }
    if (at < end) pieces.push({ clock: at, len: end - at, author: undefined });
    return pieces;
  };
}
