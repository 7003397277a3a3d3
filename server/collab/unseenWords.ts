import type * as Y from 'yjs';
import type { StruckWords } from '../../shared/note/struckWords';
import type { FormattedWords } from '../../shared/note/formattedWords';
import { attributeEntry } from './attributeChanges';
import { blockChanges } from './blockChanges';
import type { FreshText, NewRange } from './freshText';
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

/** A struck entry whose words their writer wrote again after the deleter's copy, and the new letters, in reading order. */
export interface WrittenAgain {
  key: string;
  entry: StruckWords;
  copy: NewRange[];
}

/**
 * The struck entries of `by`'s own words, deleted unseen by another, that this update of `by`'s
 * writes again whole right after the deleter's copy (`fresh`: the update's new characters): they
 * are dropped, the new letters being simply the writer's. Only the writer's own update, only the
 * same text, only in that place: words the co-therapist saw and deleted are never such an entry,
 * and a different word typed there leaves the entry standing.
 */
export function writtenAgainByWriter(struck: Y.Map<StruckWords>, by: string, fresh: FreshText): WrittenAgain[] {
  const mine = liveIndex(struck, 'unseenByAuthor', () => new UnseenByAuthor()).of(by);
  if (!mine) return [];
  const found: WrittenAgain[] = [];
  for (const [key, entry] of mine) {
    const copy = entry.unseenAfter ? fresh.take(entry.unseenAfter, entry.text, []) : null;
    if (copy) found.push({ key, entry, copy });
  }
  return found;
}

/**
 * The deleter's change of kind, for letters written again after her copy: they went with the line
 * she made a list (or a heading, a quote) only because her page lacked them, and his page wrote
 * them into her copy, so the kind is hers as it is for the words her copy held, in her name and at
 * her change's time. Read as his own choice, "twi" of "Tearful twice." typed while she made the line
 * a list, out again and a quote read "taken out of a bulleted list", and the rest of the line not
 * (walk, 6 Dec).
 */
export function kindsWrittenAgain(doc: Y.Doc, found: readonly WrittenAgain[]): FormattedWords[] {
  return found.flatMap(({ entry: e, copy }) =>
    e.blocks && e.author !== null
      ? blockChanges(doc, e.blocks, copy, e.text).map((c) => ({ by: e.by, at: e.at, author: e.author!, client: c.client, clock: c.clock, len: c.len, text: c.text, mark: c.mark, on: c.value !== null, ...attributeEntry(c, e.by, e.author!, undefined) }))
      : [],
  );
}
