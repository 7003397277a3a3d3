import { byClient } from './byClient';

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

/** Carried ranges by client, for reading authorship of any stretch of characters. */
export function carriedIndex(entries: Iterable<CarriedWords>): (client: number, clock: number, len: number) => AuthorPiece[] {
  const lists = byClient(entries);
  return (client, clock, len) => {
    const list = lists.get(client);
    if (!list) return [{ clock, len, author: undefined }];
    const end = clock + len;
    // Ranges do not overlap (each new character is carried once): from the last one starting at or before `clock`.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.clock <= clock) lo = mid + 1;
      else hi = mid;
    }
    const pieces: AuthorPiece[] = [];
    let at = clock;
    for (let i = Math.max(0, lo - 1); i < list.length && list[i]!.clock < end; i++) {
      const r = list[i]!;
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
