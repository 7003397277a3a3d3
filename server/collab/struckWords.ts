import type { StruckWords } from '../../shared/note/struckWords';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { AfterApply } from './writeGate';

/*
 * Another's words a therapist deletes stay in the record, struck through (shared/note/struckWords.ts).
 * Deleting is editing, and each therapist may correct the other's words; but B deleting "not " from
 * A's "Client is not at risk." left "Client is at risk." credited wholly to A in the review and
 * the export, with no trace of B's hand (attack5, 1 Dec).
 */

/**
 * After an update is applied: the words of another account it deleted are kept under `struck`,
 * by who deleted them and when (the server's clock). The template's words (no account) and the
 * sender's own are not: a therapist correcting her own typing leaves no trace.
 */
export const keepStruckWords: AfterApply = ({ conn, note, facts }) => {
  const by = conn.principal.accountId;
  const entries: StruckWords[] = [];
  const at = Date.now();
  for (const run of facts.deletedText) {
    const author = note.clientAccounts.get(run.client);
    if (author !== undefined && author !== by) entries.push({ by, at, author, ...run });
  }
  if (entries.length === 0) return;
  const { struck } = sessionDoc(note.doc);
  note.transactLocal(() => {
    for (const e of entries) {
      // Backspace deletes a word letter by letter, last first: one entry for it, not one per letter.
      const nextKey = `${e.client}:${e.clock + e.text.length}`;
      const next = e.block === null ? struck.get(nextKey) : undefined;
      if (next && next.block === null && next.by === by) {
        e.text += next.text;
        struck.delete(nextKey);
      }
      struck.set(`${e.client}:${e.clock}`, e);
    }
  });
};
