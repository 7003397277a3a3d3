import { clearSavedCopies } from '../collab/localCopies';
import { forgetAnswers } from './deviceAnswers';

/**
 * Removes what this browser keeps for an account whose login ended: its kept API answers and its
 * copies of notes, except copies holding edits the server has not confirmed (kept so nothing
 * typed is lost; they are sent the next time that session is opened). Returns how many were kept.
 */
export async function forgetOnDevice(accountId: string): Promise<number> {
  await forgetAnswers(accountId);
  return clearSavedCopies(accountId).catch(() => 0);
}
