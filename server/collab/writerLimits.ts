import * as Y from 'yjs';
import { OBSERVATIONS, sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { WriteGuard } from './gatePorts';
import type { GuardedNote } from './guardedNote';

/**
 * Observations one therapist may have in one note: one every 7 s of a two-hour session, many
 * times what clinicians tag. Each is compared with each of the co-therapist's in the concordance
 * (3,000 each took 11 s and 1 GB there) and listed in every review; without a bound a member
 * could add them without end (attack, 2 Dec). Retracted ones do not count.
 */
export const MAX_OBSERVATIONS_PER_AUTHOR = 1_000;

/**
 * Yjs client ids one account may write under in one note: each page load of the note is one, far
 * more than a clinician opens. Every id is a run of its own in every review and an entry in every
 * state vector; one member wrote a letter each under 11,000 new ids (attack, 2 Dec).
 */
export const MAX_WRITER_IDS_PER_ACCOUNT = 1_000;

/**
 * What one account may write into one note, in Yjs clock units (a character, an element, an
 * attribute or map value each; what was deleted since still counts, as it stays in the note's
 * history): a two-hour session typed without a pause is about 100,000; two 4 MB pastes fit. Without
 * a bound a member grew a note to 32 MB in four updates (attack, 2 Dec), which every open copy, the
 * reading thread (1 GB) and the log then carry; per account, so one therapist cannot fill the note
 * for the other.
 */
export const MAX_WRITTEN_PER_ACCOUNT = 8_500_000;

/** Everything `account` has written into the note so far, in clock units (see MAX_WRITTEN_PER_ACCOUNT). */
function writtenBy(note: GuardedNote, account: string): number {
  let written = 0;
  for (const [client, owner] of note.clientAccounts) if (owner === account) written += Y.getState(note.doc.store, client);
  return written;
}

/**
 * Refuses an update that would take its sender past any bound (`too_many_observations`,
 * `too_many_devices`, `note_full`). Counted only for an update that adds an observation, a new
 * client id or anything at all.
 */
export const writerLimitGuard: WriteGuard = ({ conn, note, facts }) => {
  const me = conn.principal.accountId;
  const observations = sessionDoc(note.doc).observations;
  const added = new Set(facts.mapWrites.filter((w) => w.map === OBSERVATIONS && !observations.has(w.key)).map((w) => w.key)).size;
  if (added > 0) {
    let mine = added;
    for (const o of observations.values()) if (o.authorId === me) mine++;
    if (mine > MAX_OBSERVATIONS_PER_AUTHOR) {
      return { code: 'too_many_observations', message: `A therapist can make at most ${MAX_OBSERVATIONS_PER_AUTHOR} observations in one note; this one has yours already. Nothing of this change was applied.` };
    }
  }
  const fresh = [...facts.writers].filter((c) => !note.clientAccounts.has(c)).length;
  if (fresh > 0) {
    let ids = fresh;
    for (const account of note.clientAccounts.values()) if (account === me) ids++;
    if (ids > MAX_WRITER_IDS_PER_ACCOUNT) {
      return { code: 'too_many_devices', message: `This note has words of yours from ${MAX_WRITER_IDS_PER_ACCOUNT} page loads already, the most one note keeps; nothing of this change was applied. Ask an admin to look into it.` };
    }
  }
  const adding = facts.inserted.reduce((sum, r) => sum + r.len, 0);
  if (adding > 0 && writtenBy(note, me) + adding > MAX_WRITTEN_PER_ACCOUNT) {
    return { code: 'note_full', message: `You have written as much into this note as one therapist can (${MAX_WRITTEN_PER_ACCOUNT.toLocaleString('en')} characters, deleted ones included); nothing of this change was applied. Ask an admin to look into it.` };
  }
  return null;
};
