import type { MemberRole } from '../../shared/domain/roles';
import { memberRoleFits, type Actor } from '../auth/policies';
import { invalid, type DomainError } from '../domain/errors';
import type { MemberRecord, Store } from '../persistence/ports';

/**
 * The one rule for giving an account a membership, whichever path gives it (a member added, a
 * recurring group continued, member notes derived, process notes made or shared, a returned member
 * note following its group again): the account is active and its role fits the membership, as
 * `can()` asks of every use of one. Before (attack, 6 Dec) only adding a member checked it: a
 * continued group copied a deactivated account, or a supervisor made a clinician, onto the new
 * session, where `can()` then refused them but signing, notices and the team still counted them.
 */
export function mayHold(account: Actor | null | undefined, role: MemberRole): boolean {
  return account?.active === true && memberRoleFits(account.role, role);
}

/** Why `account` may not be given `role` (the error a new membership is refused with), or null. */
export function grantRefusal(account: Actor | null | undefined, role: MemberRole): DomainError | null {
  if (!account?.active) return invalid('unknown_user', 'No active account has this id.', 'userId');
  if (!mayHold(account, role)) return invalid('role_mismatch', `${account.role === 'admin' ? 'An' : 'A'} ${account.role} account cannot be a ${role} of a session.`, 'role');
  return null;
}

/**
 * The members of `members` whose accounts may hold their role now, in their order: what a copy of
 * a team carries over. The others are left out, not refused: their place is for an admin to
 * settle, and the therapists' work goes on without them.
 */
export async function holdingMembers(store: Pick<Store, 'accounts'>, members: readonly MemberRecord[]): Promise<MemberRecord[]> {
  return holdingIn(new Map((await store.accounts.list()).map((a) => [a.id, a])), members);
}

/** holdingMembers, with the accounts read already (by id). */
export function holdingIn(accounts: ReadonlyMap<string, Actor>, members: readonly MemberRecord[]): MemberRecord[] {
  return members.filter((m) => mayHold(accounts.get(m.accountId), m.role));
}

/**
 * The therapists whose signature the note waits for: those of `members` who may sign now. A
 * therapist made an admin, or deactivated, keeps their membership (who wrote what) but cannot
 * sign, so waiting for them left the note unsignable for good (attack, 6 Dec). The sign panel
 * (MemberView.holdsRole) and the supervisor's queue wait for the same people.
 */
export async function awaitedSigners(store: Pick<Store, 'accounts'>, members: readonly MemberRecord[]): Promise<string[]> {
  return (await holdingMembers(store, members)).filter((m) => m.role === 'therapist').map((m) => m.accountId);
}
