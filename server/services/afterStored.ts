import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { Logger } from '../log';

/**
 * What a request does once its change is stored. Stored, the change stands, so nothing done after
 * it may answer it as not done: a read for the answer (the session as the step left it, a view of
 * what was made) that failed answered 503 "could not do this" for a lock, a reveal or a comment
 * that stood (fault attack, 6–7 Dec: the connection lost just after the COMMIT).
 */

/**
 * `read`, or, when it fails, `fallback` (what the request knows the change made), with a warn
 * naming `what` was read: the answer is then true to what was stored, if less fresh.
 */
export async function readAfterStored<T>(deps: { log: Logger }, what: string, read: () => Promise<T>, fallback: () => T): Promise<T> {
  try {
    return await read();
  } catch (err) {
    deps.log.warn(`${what} failed after the change was stored; answering with what the change made`, { err });
    return fallback();
  }
}

/** Waits between tries of a stored step's follow-up: 1 s doubling to 30 s, with jitter, 8 tries in all. */
const FOLLOW_UP_RETRY: Backoff = { firstMs: 1_000, maxMs: 30_000 };
const FOLLOW_UP_TRIES = 8;

/**
 * Runs `make`, the follow-up of a step already stored (its notices, the check of a lock): the
 * step's answer says it was taken whatever `make` does. A failure is logged and `make` tried again
 * on a timer, with backoff, while the answer goes out; after the last try it is logged as an
 * error naming `what` was left undone.
 */
export async function followUpStoredStep(deps: { log: Logger }, what: string, make: () => Promise<void>): Promise<void> {
  await make().catch((err: unknown) => void retryFollowUp(deps, what, make, err));
}

/**
 * As {@link followUpStoredStep}, but resolves only once `make` succeeded or was given up, for
 * follow-ups that must go in order (one note's inbox writes: flagNotices.ts). `make` is tried
 * again whole, so it must be safe to repeat.
 */
export async function followUpInOrder(deps: { log: Logger }, what: string, make: () => Promise<void>): Promise<void> {
  await make().catch((err: unknown) => retryFollowUp(deps, what, make, err));
}

async function retryFollowUp(deps: { log: Logger }, what: string, make: () => Promise<void>, firstError: unknown): Promise<void> {
  let err = firstError;
  for (let tried = 1; tried < FOLLOW_UP_TRIES; tried++) {
    deps.log.warn(`${what} failed after its step was stored; trying again`, { err, count: tried });
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(tried - 1, FOLLOW_UP_RETRY)).unref());
    try {
      return await make();
    } catch (next) {
      err = next;
    }
  }
  deps.log.error(`${what} could not be done after its step was stored; nobody was told of it`, { err, count: FOLLOW_UP_TRIES });
}
