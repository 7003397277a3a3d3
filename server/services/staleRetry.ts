import { conflict } from '../domain/errors';
import type { SessionStatus } from '../../shared/domain/session';
import type { AtomicWrite, SessionRecord } from '../persistence/ports';
import { StaleWriteError } from '../persistence/storageBoundary';

/** Rounds a write is worked out again when each was overtaken by a change stored meanwhile. */
const STALE_ATTEMPTS = 5;

/**
 * Runs `attempt` (round 1, 2, …) again each time its write is refused as stale (StaleWriteError:
 * a change was stored between its read and its write, so it reads and judges again); any other
 * error ends it at once. After STALE_ATTEMPTS stale rounds: 409 `session_busy` with `busy` as the
 * message, telling the person to do it again (nothing of the unit was stored).
 */
export async function retryWhileStale<T>(busy: string, attempt: (round: number) => Promise<T>): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt(round);
    } catch (err) {
      if (!(err instanceof StaleWriteError)) throw err;
      if (round === STALE_ATTEMPTS) throw conflict('session_busy', busy);
    }
  }
}

/**
 * A write that changes nothing of `session` but its version: the unit it joins is stored only while
 * the session is still at the version it was judged at (StaleWriteError otherwise, for
 * retryWhileStale), and it moves the version on, so a step judged meanwhile on what this one read
 * is judged again. `fromStatuses`: also only from these statuses.
 */
export function atJudgedVersion(session: SessionRecord, fromStatuses?: readonly SessionStatus[]): AtomicWrite {
  return { kind: 'session', id: session.id, patch: { status: session.status }, fromVersion: session.version, ...(fromStatuses ? { fromStatuses } : {}) };
}
