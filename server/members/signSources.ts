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
 * `readerId`: what is loaded is shown to this account, so the group note is left out unless they
 * are a member of the group session; without it (the server's own check at signing) it is read.
 */
export async function signSources(deps: Deps, session: SessionRecord, readerId?: string): Promise<SignSources> {
  const [note, link] = await Promise.all([deps.notes.stored(session.id), deps.store.memberNotes.groupOf(session.id)]);
  // Only while the member note awaits signatures, and only for one who may read the group note: a
  // member note's members follow the group session's only until it is signed (and a return does
  // not bring them back in step), so one removed from the group session could read the group
  // note as it is now through it.
  if (!link || session.status !== 'ended') return { note, group: null };
  if (readerId !== undefined && !(await deps.store.sessions.member(link.groupSessionId, readerId))) return { note, group: null };
  const [groupSession, parts] = await Promise.all([deps.store.sessions.byId(link.groupSessionId), deps.notes.stored(link.groupSessionId)]);
  return { note, group: groupSession ? { session: groupSession, parts } : null };
}
