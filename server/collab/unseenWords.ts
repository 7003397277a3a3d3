import type * as Y from 'yjs';
import type { StruckWords } from '../../shared/note/struckWords';
import type { FreshText } from './freshText';
import { liveIndex, type LiveIndex } from './liveIndex';

/*
 * A line changed by one therapist (made a heading, a quote, a list item: written as the line
 * deleted and a copy of it) while the other typed on in it: his letters that reached the server
 * before her change, which her page never had, go with the line (Yjs deletes what stands inside a
 * deleted element) and her copy lacks them. The struck-words step keeps them struck in her name,
 * so that words nobody wrote again are not lost without a trace (walk D1, 1 Dec). But his page
 * writes them again right after her copy (client/editor/caretOnRemoteEdits.ts, and
 * client/collab/offlineWords.ts on a reconnect); then nothing was deleted by anyone, and a
 * "deleted by" entry kept for them was a correction she never made, in the signed record (clinic
 * walk, 6 Dec: Alex's letter "t" struck "deleted by Blair Chen" in a line of its own after the
 * heading, one round in three, in the review, the Markdown export and the PDF).
 */

/** The entries of words their deleter never saw (StruckWords.unseenAfter), by the account that wrote them. */
class UnseenByAuthor implements LiveIndex<StruckWords> {
  private readonly byAuthor = new Map<string, Map<string, StruckWords>>();

  add(key: string, e: StruckWords): void {
    if (!e.unseenAfter || e.author === null) return;
    let mine = this.byAuthor.get(e.author);
    if (!mine) this.byAuthor.set(e.author, (mine = new Map()));
    mine.set(key, e);
  }

  remove(key: string, e: StruckWords): void {
    if (!e.unseenAfter || e.author === null) return;
    const mine = this.byAuthor.get(e.author);
    mine?.delete(key);
    if (mine?.size === 0) this.byAuthor.delete(e.author);
  }

  of(author: string): ReadonlyMap<string, StruckWords> | undefined {
    return this.byAuthor.get(author);
  }
}

/**
 * The keys of struck entries of `by`'s own words, deleted unseen by another, that this update of
 * `by`'s writes again whole right after the deleter's copy (`fresh`: the update's new characters):
 * they are dropped, the new letters being simply the writer's. Only the writer's own update, only
 * the same text, only in that place: words the co-therapist saw and deleted are never such an
 * entry, and a different word typed there leaves the entry standing.
 */
export function writtenAgainByWriter(struck: Y.Map<StruckWords>, by: string, fresh: FreshText): string[] {
  const mine = liveIndex(struck, 'unseenByAuthor', () => new UnseenByAuthor()).of(by);
  if (!mine) return [];
  const keys: string[] = [];
  for (const [key, e] of mine) if (e.unseenAfter && fresh.take(e.unseenAfter, e.text, []) !== null) keys.push(key);
  return keys;
}
