import { clearSavedCopies, deleteCopy, localCopyName } from '../collab/localCopies';
import { forgetAnswers, forgetSessionAnswer, keepingFor, sessionOfPath } from './deviceAnswers';

/**
 * Removes what this browser keeps for an account whose login ended: its kept API answers and its
 * copies of notes, except copies holding edits the server has not confirmed (kept so nothing
 * typed is lost; they are sent the next time that session is opened). Returns how many were kept.
 */
export async function forgetOnDevice(accountId: string): Promise<number> {
  await forgetAnswers(accountId);
  return clearSavedCopies(accountId).catch(() => 0);
}

/**
 * Removes this browser's copy of one note and its kept record, for an account that may no longer
 * open it (removed from the session): unsaved edits in it too, which the server would refuse. A
 * removed therapist's device went on opening the whole note offline and taking edits that were
 * then dropped unsaid (walk, 4 Dec).
 */
export async function forgetSessionOnDevice(accountId: string, sessionId: string): Promise<void> {
  await Promise.all([forgetSessionAnswer(accountId, sessionId), deleteCopy(localCopyName(accountId, sessionId))]);
}

/** After the server refused a GET of `path` (403, 404): a session's record it was leaves nothing of the session here. */
export async function forgetRefused(path: string): Promise<void> {
  const sessionId = sessionOfPath(path);
  const accountId = keepingFor();
  if (sessionId && accountId) await forgetSessionOnDevice(accountId, sessionId);
}
