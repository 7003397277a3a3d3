import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { NoteReader } from '../review/noteReader';

/** `stopping`: the server is closing; no further note is read. */
type Deps = { store: Pick<Store, 'notices'>; notes: Pick<NoteReader, 'readStored'>; log: Logger; stopping: () => boolean };

/**
 * Turns the `flag` notices of flags answered in their note into `flag_answered`, read (as an answer
 * does: flagNotices.ts), once at the server's start. A flag answered before answers reworded its
 * notices (ae6b493, 6 Dec) kept "Flag for you" in the inbox for good (walk, 7 Dec), and so does one
 * whose answer's inbox write failed (logged then). Each session holding such notices is read once,
 * on the note-reading thread; one that cannot be read is logged and left for the next start.
 * Resolves with how many notices changed.
 */
export async function rewordAnsweredFlags(deps: Deps): Promise<number> {
  const bySession = new Map<string, { accounts: Set<string>; flags: Set<string> }>();
  for (const n of await deps.store.notices.flagNotices()) {
    const entry = bySession.get(n.sessionId) ?? { accounts: new Set<string>(), flags: new Set<string>() };
    entry.accounts.add(n.accountId);
    entry.flags.add(n.flagId);
    bySession.set(n.sessionId, entry);
  }
  let changed = 0;
  for (const [sessionId, { accounts, flags }] of bySession) {
    if (deps.stopping()) break;
    try {
      const answered = await deps.notes.readStored(sessionId, 'answeredFlags', [...flags]);
      if (answered.length > 0) changed += await deps.store.notices.flagsAnswered(sessionId, [...accounts], answered, Date.now());
    } catch (err) {
      deps.log.warn('the notices of flags answered in a note could not be reworded; the next start tries again', { err, sessionId });
    }
  }
  if (changed > 0) deps.log.info('notices of answered flags reworded', { count: changed });
  return changed;
}
