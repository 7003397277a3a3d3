import { z } from 'zod';
import { signerChangeDone, signerChangeSchema, type SignerChange } from '../../shared/domain/signerChange';
import type { SessionStatus } from '../../shared/domain/session';

/*
 * The words of the notices told after a therapist stopped signing a note (`lock_waiting`,
 * `signatures_left`). They said "Ada Admin changed a co-therapist’s account or took them off", and
 * the therapist told could not tell whom the note no longer waited for, or why (walk, 6 Dec). Each
 * such notice now keeps whose account changed and how in its `refId` (`<change>:<accountId>`);
 * one stored before keeps none and reads as it did.
 */

/** A lock notice's `refId`: how the therapist stopped signing, and their account's id. */
export const signerChangeRef = (change: SignerChange, accountId: string): string => `${change}:${accountId}`;

const refSchema = z.string().transform((ref, ctx) => {
  const at = ref.indexOf(':');
  const change = signerChangeSchema.safeParse(ref.slice(0, at));
  if (at < 1 || !change.success || at === ref.length - 1) {
    ctx.addIssue({ code: 'custom', message: 'not a signer change' });
    return z.NEVER;
  }
  return { change: change.data, accountId: ref.slice(at + 1) };
});

/** The signer change a lock notice's `refId` holds, or null (stored before it held one). */
export function parseSignerChangeRef(ref: string | null): { change: SignerChange; accountId: string } | null {
  const parsed = refSchema.safeParse(ref);
  return parsed.success ? parsed.data : null;
}

/**
 * The one who stopped signing, as the inbox reads them now: their name, and whether the note waits
 * for them again (their account changed back, or they were added back) — "so they no longer sign
 * it" then contradicted the list of those it waits for (walk, 6 Dec).
 */
export interface ChangedSigner {
  change: SignerChange;
  name: string;
  awaitedAgain: boolean;
}

/** What was done, with the session's title: "took Cy Third off “T”", "made Cy Third an admin". */
const done = (who: ChangedSigner, title: string): string => `${signerChangeDone(who.change, who.name)}${who.change === 'taken_off' ? ` “${title}”` : ''}`;

/** What was done and what it means for signing now, the title said once: "took Cy Third off “T”, so they no longer sign it". */
function changeClause(who: ChangedSigner | null, title: string): string {
  if (who === null) return `changed a co-therapist’s account or took them off “${title}”`;
  const it = who.change === 'taken_off' ? 'it' : `“${title}”`;
  return `${done(who, title)}${who.awaitedAgain ? `; they can sign ${it} again now` : `, so they no longer sign ${it}`}`;
}

/**
 * A lock notice's words for its reader now. `leftToLock`: what is left to lock a note no one press
 * locks, in words (read fresh).
 */
export function lockNoticeText(
  kind: 'lock_waiting' | 'signatures_left',
  actor: string,
  title: string,
  status: SessionStatus,
  who: ChangedSigner | null,
  leftToLock: () => string,
): string {
  if (status !== 'ended') {
    if (kind === 'lock_waiting') return `“${title}” was ready to lock after ${actor} ${who === null ? 'changed a co-therapist’s account or took them off it' : signerChangeDone(who.change, who.name) + (who.change === 'taken_off' ? ' it' : '')}; it is locked now.`;
    if (who === null) return `${actor} changed a co-therapist’s account or took them off “${title}”. It is locked now.`;
    return `${actor} ${done(who, title)}${who.change === 'taken_off' ? '. It' : `; “${title}”`} is locked now.`;
  }
  // Not "so they no longer sign it" for a notice stored before it named them: the account may have
  // changed back, and the list after it, read fresh, named them (walk, 6 Dec).
  if (kind === 'signatures_left') return `${actor} ${who === null ? `changed a co-therapist’s account or took them off “${title}”` : changeClause(who, title)}. ${leftToLock()}`;
  // Their account changed back since: one press no longer locks it.
  if (who?.awaitedAgain) return `${actor} ${changeClause(who, title)}, so it is not ready to lock: it waits for ${who.name}’s signature.`;
  return `${actor} ${changeClause(who, title)}${who === null ? ', so they no longer sign it' : ''}: every signature it waits for is given, and it locks when you press Sign again (read it first).`;
}
