import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { NoteReader } from '../review/noteReader';

/** `stopping`: the server is closing; no further note is read. */
type Deps = { store: Pick<Store, 'notices' | 'passes'>; notes: Pick<NoteReader, 'readStored'>; log: Logger; stopping: () => boolean };

/** The start pass's name (StartPassStore), seeded by migration 13. */
const PASS = 'reword_answered_flags';

/**
 * Turns the `flag` notices of flags answered in their note into `flag_answered`, read (as an answer
 * does: flagNotices.ts), at the first start of a database that owes it. A flag answered before
 * answers reworded its notices (ae6b493, 6 Dec) kept "Flag for you" in the inbox for good (walk,
 * 7 Dec). Each session holding such notices is read once, on the note-reading thread; one that
 * cannot be read is logged and the pass is left owed to the next start. Once done, no start runs it
 * again: every start read each note with an unanswered flag's notice, a number that only grows.
 * Resolves with how many notices changed.
 */
export async function rewordAnsweredFlags(deps: Deps): Promise<number> {
  if (!(await deps.store.passes.owed(PASS))) return 0;
  let complete = true;
  const bySession = new Map<string, { accounts: Set<string>; flags: Set<string> }>();
  for (const n of await deps.store.notices.flagNotices()) {
    const entry = bySession.get(n.sessionId) ?? { accounts: new Set<string>(), flags: new Set<string>() };
    entry.accounts.add(n.accountId);
    entry.flags.add(n.flagId);
    bySession.set(n.sessionId, entry);
  }
  let changed = 0;
  for (const [sessionId, { accounts, flags }] of bySession) {
    if (deps.stopping()) return changed;
    try {
      const answered = await deps.notes.readStored(sessionId, 'answeredFlags', [...flags]);
      if (answered.length > 0) changed += await deps.store.notices.flagsAnswered(sessionId, [...accounts], answered, Date.now());
    } catch (err) {
      complete = false;
      deps.log.warn('the notices of flags answered in a note could not be reworded; the next start tries again', { err, sessionId });
    }
  }
  if (complete) await deps.store.passes.done(PASS);
  if (changed > 0) deps.log.info('notices of answered flags reworded', { count: changed });
  return changed;
}
