import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { NoteReader } from '../review/noteReader';
import type { LiveEvents } from './LiveEvents';

type Notes = Pick<NoteReader, 'readStored'>;
/** `stopping`: the server is closing; no further note is read. */
type Deps = { store: Pick<Store, 'notices' | 'passes'>; notes: Notes; log: Logger; stopping: () => boolean };

/** The start pass's name (StartPassStore), seeded by migration 13. */
const PASS = 'reword_answered_flags';

/** Who holds a `flag` notice of which flag, by session. */
type FlagNotices = Map<string, { accounts: Set<string>; flags: Set<string> }>;

const bySession = (notices: { sessionId: string; accountId: string; flagId: string }[]): FlagNotices => {
  const found: FlagNotices = new Map();
  for (const n of notices) {
    const entry = found.get(n.sessionId) ?? { accounts: new Set<string>(), flags: new Set<string>() };
    entry.accounts.add(n.accountId);
    entry.flags.add(n.flagId);
    found.set(n.sessionId, entry);
  }
  return found;
};

/** Rewords the `flag` notices of the flags answered in `sessionId`'s stored note (as an answer does: flagNotices.ts); resolves with how many changed. */
async function rewordSession(deps: { store: Pick<Store, 'notices'>; notes: Notes }, sessionId: string, { accounts, flags }: { accounts: Set<string>; flags: Set<string> }): Promise<number> {
  const answered = await deps.notes.readStored(sessionId, 'answeredFlags', [...flags]);
  return answered.length === 0 ? 0 : deps.store.notices.flagsAnswered(sessionId, [...accounts], answered, Date.now());
}

/**
 * Turns the `flag` notices of flags answered in their note into `flag_answered`, read, at the first
 * start of a database that owes it. A flag answered before answers reworded its notices (ae6b493,
 * 6 Dec) kept "Flag for you" in the inbox for good (walk, 7 Dec). Each session holding such notices
 * is read once, on the note-reading thread; one that cannot be read is logged and the pass is left
 * owed to the next start. Once done, no start runs it again: every start read each note with an
 * unanswered flag's notice, a number that only grows. Resolves with how many notices changed.
 */
export async function rewordAnsweredFlags(deps: Deps): Promise<number> {
  if (!(await deps.store.passes.owed(PASS))) return 0;
  let complete = true;
  let changed = 0;
  for (const [sessionId, notices] of bySession(await deps.store.notices.flagNotices())) {
    if (deps.stopping()) return changed;
    try {
      changed += await rewordSession(deps, sessionId, notices);
    } catch (err) {
      complete = false;
      deps.log.warn('the notices of flags answered in a note could not be reworded; the next start tries again', { err, sessionId });
    }
  }
  if (complete) await deps.store.passes.done(PASS);
  if (changed > 0) deps.log.info('notices of answered flags reworded', { count: changed });
  return changed;
}

/**
 * At the lock, the notices of the note's answered flags read as answered. An answer's inbox write
 * that failed all its tries (flagNotices.ts) left its notice `flag`, which a locked note's inbox
 * reads as "not answered before the note was locked" (notices.ts), untrue of a flag answered in
 * it. The lock reads the note: the notices are set right there, against the note as locked.
 * Rejects with the store's or the reading's error (the caller tries again: noticesOfStoredStep).
 */
export async function answeredFlagsAtLock(deps: { store: Pick<Store, 'notices'>; notes: Notes; live: Pick<LiveEvents, 'toAccounts'> }, sessionId: string): Promise<void> {
  const notices = bySession(await deps.store.notices.flagNotices(sessionId)).get(sessionId);
  if (notices && (await rewordSession(deps, sessionId, notices)) > 0) deps.live.toAccounts([...notices.accounts], { type: 'notices' });
}
