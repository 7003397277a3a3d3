import { z } from 'zod';
import type { AccountRole } from './roles';

/**
 * What happened to an account that makes it sign no note now: deactivated, or given a clinic role
 * a therapist's membership does not fit (an admin, a supervisor). The sign panel said only
 * "account changed", and the lock notices "changed a co-therapist’s account or took them off", so
 * a therapist could not tell whom the note no longer waited for, or why (walk, 6 Dec).
 */
export const accountChangeSchema = z.enum(['deactivated', 'admin', 'supervisor', 'clinician']);
export type AccountChange = z.infer<typeof accountChangeSchema>;

/** Why a therapist no longer signs a note: their account changed, or they were taken off it. */
export const signerChangeSchema = z.union([accountChangeSchema, z.literal('taken_off')]);
export type SignerChange = z.infer<typeof signerChangeSchema>;

/** The account's change as `AccountChange`: deactivated first (its role then matters to nobody). */
export const accountChangeOf = (account: { active: boolean; role: AccountRole }): AccountChange => (account.active ? account.role : 'deactivated');

const roleWords: Record<AccountRole, string> = { admin: 'an admin', supervisor: 'a supervisor', clinician: 'a clinician' };

/** The change, after a name: "account deactivated", "made an admin". */
export const accountChangeWords = (change: AccountChange): string => (change === 'deactivated' ? 'account deactivated' : `made ${roleWords[change]}`);

/**
 * What someone did to `name`, as a verb phrase after the doer's name, ending where the session's
 * title may follow: "made Cy Third an admin", "deactivated Cy Third’s account", "took Cy Third off".
 */
export function signerChangeDone(change: SignerChange, name: string): string {
  if (change === 'taken_off') return `took ${name} off`;
  if (change === 'deactivated') return `deactivated ${name}’s account`;
  return `made ${name} ${roleWords[change]}`;
}
