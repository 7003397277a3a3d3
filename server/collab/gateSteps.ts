import type { Logger } from '../log';
import type { AfterApply, WriteGuard, WriteRefusal } from './gatePorts';

/*
 * Runs what features plug into the write gate (gatePorts.ts) so that a defect in one of them ends
 * no more than the update it judges: one crafted frame threw in an after-apply step, past every
 * handler, and exited the process (attack, 3 Dec).
 */

type GuardContext = Parameters<WriteGuard>[0];

/**
 * The first refusal of `guards`, in order, or null. A guard that fails refuses the update
 * (`not_judged`: nothing goes in unjudged) and is logged as an error.
 */
export function firstRefusal(guards: readonly WriteGuard[], ctx: GuardContext, log: Logger, sessionId: string): WriteRefusal | null {
  for (const guard of guards) {
    let refusal: WriteRefusal | null;
    try {
      refusal = guard(ctx);
    } catch (err) {
      log.error('a write guard failed; the update was refused', { sessionId, connectionId: ctx.conn.id, err });
      return { code: 'not_judged', message: 'The server could not check this edit, so it was not applied. Reload the note to go on; if it happens again, tell your admin.' };
    }
    if (refusal) return refusal;
  }
  return null;
}

/**
 * Runs every after-apply step. The update is in the note and on its way to storage and the other
 * clients by then (SharedDoc's update handler), whatever a step does: one that fails is logged as
 * an error and the next one runs.
 */
export function runAfterApply(steps: readonly AfterApply[], ctx: Parameters<AfterApply>[0], log: Logger, sessionId: string): void {
  for (const step of steps) {
    try {
      step(ctx);
    } catch (err) {
      log.error('a step after applying an update failed; the update stays applied', { sessionId, connectionId: ctx.conn.id, err });
    }
  }
}
