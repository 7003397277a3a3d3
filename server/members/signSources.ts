import type { ServiceDeps } from '../services/deps';
import type { SessionRecord } from '../persistence/ports';
import type { NoteParts } from '../review/noteReadings';

type Deps = Pick<ServiceDeps, 'store' | 'notes'>;

/** What the checks before signing read (riskGate.ts, memberNotes.groupChangesFor): the note, and a member note's group note. */
export interface SignSources {
  note: NoteParts;
  /** The group note a member note was derived from; null for any other note, and once it is signed. */
  group: { session: SessionRecord; parts: NoteParts } | null;
}

/**
 * Loads the note's stored parts and, for a member note, its group session and the group note's
 * parts, once for every check that reads them (each is a whole note read from storage).
 */
export async function signSources(deps: Deps, session: SessionRecord): Promise<SignSources> {
  const [note, link] = await Promise.all([deps.notes.stored(session.id), deps.store.memberNotes.groupOf(session.id)]);
  // Only while the member note awaits signatures: a locked one stands as signed, and its members
  // (who no longer follow the group session's once it is locked) must not read the group note as
  // it is now through it.
  if (!link || session.status !== 'ended') return { note, group: null };
  const [groupSession, parts] = await Promise.all([deps.store.sessions.byId(link.groupSessionId), deps.notes.stored(link.groupSessionId)]);
  return { note, group: groupSession ? { session: groupSession, parts } : null };
}
