import * as Y from 'yjs';
import { OBSERVATIONS, sessionDoc } from '../../shared/ydoc/sessionDoc';
import type { WriteGuard } from './gatePorts';
import type { GuardedNote } from './guardedNote';
import { TimeBudget } from './timeBudget';
import type { UpdateFacts } from './updateFacts';

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

/**
 * Items one account's client ids may hold in one note (Yjs's entries: a run of letters typed in
 * one go is one, however long). The server keeps about 600 bytes for each, in the note and its
 * indexes, so the clock bound above left 8,500,000 one-letter items, each written before the last
 * so that Yjs merges none: a member sent 400,000 in each 3 MB frame, and 57 MB of them held the
 * process at 4–6 GB, its health checks waiting up to 3 s (attack, 6 Dec). The whole
 * automerge-paper trace, 259,778 keystrokes, is 10,973 items.
 */
export const MAX_ITEMS_PER_ACCOUNT = 200_000;

/** Items the note holds under `account`'s client ids, deleted ones included (see MAX_ITEMS_PER_ACCOUNT). */
function itemsBy(note: GuardedNote, account: string): number {
  let items = 0;
  for (const [client, owner] of note.clientAccounts) if (owner === account) items += note.doc.store.clients.get(client)?.length ?? 0;
  return items;
}

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
  if (facts.newItems > 0 && itemsBy(note, me) + facts.newItems > MAX_ITEMS_PER_ACCOUNT) {
    return { code: 'note_full', message: `This change would leave your words in this note in more than ${MAX_ITEMS_PER_ACCOUNT.toLocaleString('en')} separate pieces, the most one therapist can have; nothing of it was applied. Ask an admin to look into it.` };
  }
  return null;
};

/**
 * The most list entries Yjs may move for one update's splits and merges (see scatterWork): about
 * 0.3 s of the event loop (2.8 ns an entry, measured on this project's 2-core machine). Yjs keeps
 * each client's items in one array and splices it at every split or merge, so an update's cost
 * grows with how scattered its edits are times how fragmented the note is, not with its bytes: a
 * member deleted every other letter of a 1,000,000-letter paragraph of his in three 200 KB
 * frames, and every note on the process stood still for 11–35 s (attack, 6 Dec). A clinician's
 * select-all delete moves one list length per run of words still there: 3,000 runs in a list of
 * 6,000 items is 27 million.
 */
export const MAX_SCATTER_WORK = 100_000_000;

/** What one account's updates may make Yjs move per window, in ms at 2.8 ns an entry: 1 s of every 10 s. */
const SCATTER_BUDGET = { ms: 1000, windowMs: 10_000 };
const MS_PER_ENTRY = 2.8e-6;

/** Entries of the note's item lists that applying the update would move, at most (UpdateFacts `splitPoints`). */
export function scatterWork(note: GuardedNote, facts: UpdateFacts): number {
  let work = 0;
  // Each split lengthens the list the next one splices.
  for (const [client, points] of facts.splitPoints) work += points * ((note.doc.store.clients.get(client)?.length ?? 0) + points);
  return work;
}

/**
 * Refuses an update whose splits and merges would hold the event loop past MAX_SCATTER_WORK
 * (`too_scattered`, final), and an account's updates once they have cost SCATTER_BUDGET in a
 * window (`judging_busy`, which passes: the page sends it again).
 */
export function scatterGuard(budget = new TimeBudget(SCATTER_BUDGET)): WriteGuard {
  return ({ conn, note, facts }) => {
    const work = scatterWork(note, facts);
    if (work === 0) return null;
    if (work > MAX_SCATTER_WORK) {
      return { code: 'too_scattered', message: 'This change edits too many separate places of the note at once for the server to take in; nothing of it was applied. Make it in smaller steps.' };
    }
    const me = conn.principal.accountId;
    if (budget.wait(me) > 0) return { code: 'judging_busy', message: 'Too many edits in scattered places of the note in a short time; this one was not applied yet, and this page sends it again in a few seconds.' };
    budget.spend(me, work * MS_PER_ENTRY);
    return null;
  };
}

/**
 * Refuses an account's changes to a note past `perWindow` in 10 s (`judging_busy`, which passes:
 * the page sends everything the server lacks again, as one change, a few seconds later). A fast
 * typist makes about 15 a second, a 4 MB paste 64 (sent in 64 KiB pieces,
 * shared/protocol/updateParts.ts), a page catching up after a refusal or a reconnect one. Without a
 * bound, one account's 16 sockets sent one-letter changes without a pause, 15,000 a second relayed
 * to the co-therapist's page, which fell 40 s behind and was dropped for not answering pings
 * (attack, 6 Dec). Per note: a clinician writes in one at a time; the harness's one writer
 * account types in many notes at once.
 */
export function changeRateGuard(perWindow: number, budget = new TimeBudget({ ms: perWindow, windowMs: 10_000 })): WriteGuard {
  return ({ conn, note }) => {
    const key = `${conn.principal.accountId} ${note.session.id}`;
    // The budget counts changes here, one each, not milliseconds.
    if (budget.wait(key) > 0) return { code: 'judging_busy', message: 'Too many edits in a short time; they were not applied yet, and this page sends them again in a few seconds.' };
    budget.spend(key, 1);
    return null;
  };
}
