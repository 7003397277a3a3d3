import type { FormattedWords } from '../../shared/note/formattedWords';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type * as Y from 'yjs';
import { formattedIndex } from '../../shared/note/formattedWords';
import { carriedAuthors, mapIndex } from './mapIndex';
import type { AfterApply } from './writeGate';

/*
 * Another's words a therapist formats stay attributed (shared/note/formattedWords.ts). Formatting
 * is editing, like deleting; but B's strike-through on A's "not " read as A's own struck word,
 * with no trace of B's hand (docs/security.md, known limits until 1 Dec).
 */

/**
 * After an update is applied: each run of another's words whose formatting it changed (the apply
 * stage's `facts.formatted`) is kept under `formatted`, with who changed it and when (the
 * server's clock). Words moved before count as their writer's (carried); the sender's own words
 * and words no account wrote (the template, a member note's derived text) leave no entry. A later
 * change of the same characters and mark replaces the entry; one that takes back the sender's own
 * earlier change of exactly them removes it.
 */
export const keepFormatting: AfterApply = ({ conn, note, facts }) => {
  if (facts.formatted.length === 0) return;
  const by = conn.principal.accountId;
  const { formatted, carried } = sessionDoc(note.doc);
  const authorship = carriedAuthors(carried);
  const at = Date.now();
  const entries: FormattedWords[] = [];
  for (const change of facts.formatted) {
    for (const piece of authorship(change.client, change.clock, change.len)) {
      const author = piece.author !== undefined ? piece.author : (note.clientAccounts.get(change.client) ?? null);
      if (author === null || author === by) continue;
      const text = change.text.slice(piece.clock - change.clock, piece.clock - change.clock + piece.len);
      entries.push({ by, at, author, client: change.client, clock: piece.clock, len: piece.len, text, mark: change.mark, on: change.value !== null });
    }
  }
  if (entries.length === 0) return;
  note.transactLocal(() => {
    for (const e of entries) {
      const key = formattedKey(e);
      const prior = formatted.get(key);
      // Taking back one's own change (bold on, then off again) leaves the words as their writer made them.
      if (prior && prior.by === by && prior.on !== e.on) formatted.delete(key);
      else formatted.set(key, e);
    }
  });
};

/** An entry's key in `formatted`: its characters and mark. */
const formattedKey = (e: FormattedWords) => `${e.client}:${e.clock}:${e.len}:${e.mark}`;

/** Characters an update moved: `from` (the deleted originals) read again as `to` (new characters, in order). */
export interface MovedChars {
  from: { client: number; clock: number; len: number };
  to: readonly { client: number; clock: number; len: number }[];
}

/**
 * Formatting entries follow the words they label when those are moved (a line split or joined,
 * an undo): the copy gets an entry for the same change, on its own characters. Without it, a
 * co-therapist's strike-through lost its label as soon as anyone pressed Enter in the line (walk,
 * 1 Dec). Call inside the server's transaction.
 */
export function followMoves(formatted: Y.Map<FormattedWords>, moves: readonly MovedChars[]): void {
  if (moves.length === 0 || formatted.size === 0) return;
  const over = mapIndex(formatted, 'index', (all) => formattedIndex(all.map(([, e]) => e)));
  const copies: FormattedWords[] = [];
  // An entry whose words all moved labels nothing any more (its characters are deleted): it goes,
  // so that splitting and joining a line again and again does not pile copies up.
  const gone: FormattedWords[] = [];
  for (const { from, to } of moves) {
    for (const e of over(from.client, from.clock, from.clock + from.len)) {
      if (e.clock >= from.clock && e.clock + e.len <= from.clock + from.len) gone.push(e);
      // The entry's characters as offsets into the moved stretch, then onto the copy's ranges.
      const start = Math.max(e.clock, from.clock) - from.clock;
      const end = Math.min(e.clock + e.len, from.clock + from.len) - from.clock;
      let offset = 0;
      for (const r of to) {
        const a = Math.max(start, offset);
        const b = Math.min(end, offset + r.len);
        if (a < b) copies.push({ ...e, client: r.client, clock: r.clock + a - offset, len: b - a, text: e.text.slice(a + from.clock - e.clock, b + from.clock - e.clock) });
        offset += r.len;
      }
    }
  }
  for (const e of gone) formatted.delete(formattedKey(e));
  for (const e of copies) formatted.set(formattedKey(e), e);
}
