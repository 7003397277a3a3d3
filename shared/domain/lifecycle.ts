import { sessionStatusSchema, type SessionStatus } from './session';

/** The actions that move a session along `scheduled → live → ended → signed → reviewed`. */
export type LifecycleAction = 'start' | 'end' | 'sign' | 'cosign' | 'return';

/** From which statuses each action may be taken (sign keeps 'ended' until every therapist signed). */
export const ALLOWED_FROM: Record<LifecycleAction, SessionStatus[]> = {
  start: ['scheduled'],
  end: ['live'],
  sign: ['ended'],
  cosign: ['signed'],
  return: ['signed'],
};

/** Whether the note is locked against every change (signed by all therapists, or co-signed). */
export const isLocked = (status: SessionStatus): boolean => status === 'signed' || status === 'reviewed';
/** The statuses in which the note and its record may still change: every one {@link isLocked} is not. */
export const UNLOCKED: readonly SessionStatus[] = sessionStatusSchema.options.filter((s) => !isLocked(s));
