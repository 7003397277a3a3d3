import { rateLimited, unavailable } from '../domain/errors';

/**
 * Whole-note readings one account may have under way at once. The review page asks for up to
 * five together (review, timeline, replay, concordance, verify); ten reviews at once of a member's 32 MB note held 1.3 GB and made
 * another member's review of a small note wait 28 s (attack, 2 Dec).
 */
export const READINGS_PER_ACCOUNT = 8;
/** Whole-note readings under way in the process: each holds its note's bytes while it waits its turn. */
export const READINGS_IN_ALL = 32;

/**
 * Admits requests that read whole notes (NoteReader): past `READINGS_PER_ACCOUNT` of the caller's,
 * 429 `reading_busy`; past `READINGS_IN_ALL`, 503 `readings_busy`. `admit` returns the release.
 */
export function readingAdmission(perAccount = READINGS_PER_ACCOUNT, inAll = READINGS_IN_ALL): { admit(accountId: string): () => void } {
  const byAccount = new Map<string, number>();
  let total = 0;
  return {
    admit(accountId) {
      const mine = byAccount.get(accountId) ?? 0;
      if (mine >= perAccount) throw rateLimited('reading_busy', `You have ${perAccount} notes being read already; wait for them, then try again.`, 1);
      if (total >= inAll) throw unavailable('readings_busy', 'The server is reading many notes right now; try again in a moment.');
      byAccount.set(accountId, mine + 1);
      total++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total--;
        const left = (byAccount.get(accountId) ?? 1) - 1;
        if (left === 0) byAccount.delete(accountId);
        else byAccount.set(accountId, left);
      };
    },
  };
}
