import { formattedKey, isAttributeMark, type FormattedWords } from '../../shared/note/formattedWords';
import { attributeEntry } from './attributeChanges';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { carriedAuthors, formattedOver } from './recordIndexes';
import type { AfterApply } from './writeGate';

/*
 * Another's words a therapist formats stay attributed (shared/note/formattedWords.ts). Formatting
 * is editing, like deleting; but B's strike-through on A's "not " read as A's own struck word,
 * with no trace of B's hand (docs/security.md, known limits until 1 Dec).
 */

/**
 * After an update is applied: each run of another's words whose formatting it changed (the apply
 * stage's `facts.formatted`) is kept under `formatted`, with who changed it and when (the
 * server's clock). Words moved before count as their writer's (carried); words no account wrote
 * (the template, a member note's derived text) leave no entry, nor do the sender's own, unless
 * another's change of that mark is on record over them: then the writer's own change is kept too,
 * and is the latest (formattingNow shows none), or her words struck through by B, the strike taken
 * off by her and put back by her, read "struck through by B" again (attack9 F2). A later change of
 * the same characters and mark replaces the entry; one that takes back the sender's own earlier
 * change of exactly them removes it.
 */
export const keepFormatting: AfterApply = ({ conn, note, facts }) => {
  if (facts.formatted.length === 0) return;
  const by = conn.principal.accountId;
  const { formatted, carried } = sessionDoc(note.doc);
  const authorship = carriedAuthors(carried);
  const over = (client: number, from: number, to: number, mark: string) => (formatted.size > 0 ? formattedOver(formatted)(client, from, to).filter((e) => e.mark === mark) : []);
  const labelled = (client: number, from: number, to: number, mark: string) => over(client, from, to, mark).some((e) => e.by !== by);
  const at = Date.now();
  const entries: FormattedWords[] = [];
  for (const change of facts.formatted) {
    for (const piece of authorship(change.client, change.clock, change.len)) {
      const author = piece.author !== undefined ? piece.author : (note.clientAccounts.get(change.client) ?? null);
      if (author === null || (author === by && !labelled(change.client, piece.clock, piece.clock + piece.len, change.mark))) continue;
      const text = change.text.slice(piece.clock - change.clock, piece.clock - change.clock + piece.len);
      const prior = isAttributeMark(change.mark) ? over(change.client, piece.clock, piece.clock + piece.len, change.mark).sort((x, y) => x.at - y.at).at(-1) : undefined;
      entries.push({ by, at, author, client: change.client, clock: piece.clock, len: piece.len, text, mark: change.mark, on: change.value !== null, ...attributeEntry(change, by, author, prior) });
    }
  }
  if (entries.length === 0) return;
  note.transactLocal(() => {
    for (const e of entries) {
      const key = formattedKey(e);
      const prior = formatted.get(key);
      // Taking back one's own change of another's words (bold on, then off again; a level back to
      // hers) leaves them as their writer made them.
      if ((prior && prior.by === by && by !== e.author && prior.on !== e.on) || (by !== e.author && 'was' in e && e.value === e.was)) formatted.delete(key);
      else formatted.set(key, e);
    }
  });
};
