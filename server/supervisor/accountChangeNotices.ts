import type { MemberRecord, SessionRecord, Store } from '../persistence/ports';
import { mayHold } from '../services/memberGrants';
import { recordChangedAt } from '../services/recordChanges';
import { currentRound } from '../services/signatureRound';
import { signingState } from '../services/signingState';
import { storedDigest } from '../services/lifecycle';
import type { ServiceDeps } from '../services/deps';
import { isLocked } from '../../shared/domain/lifecycle';
import type { LiveEvents } from './LiveEvents';
import { notify } from './notices';
import { signerChangeRef } from './lockNoticeWords';
import { accountChangeOf, type SignerChange } from '../../shared/domain/signerChange';

type Deps = { store: Store; live: LiveEvents } & Pick<ServiceDeps, 'notes'>;

/**
 * What an account change by admin `actorId` means for the notes `accountId` is a therapist of
 * (`before`: whether they could sign before it):
 * - they can no longer sign: the therapists of each open note that now has every signature it
 *   waits for are told it locks when one of them presses Sign again. Before (6 Dec) nobody was
 *   told: A had signed, B was made an admin, and the note stood unlocked with an empty "waiting
 *   for" until A happened to press Sign. It is not locked for them: a signature given while B was
 *   still waited for was not given to lock the note alone.
 * - they can sign again: they are told of each note locked meanwhile without their signature
 *   (attack, 6 Dec: an admin made B an admin for a minute, A signed and the note locked, B was made
 *   a clinician again, and nothing told B; only the audit log and the exports' Signatures said so).
 */
export async function tellSignersOfAccountChange(deps: Deps, accountId: string, actorId: string, before: boolean): Promise<void> {
  const account = await deps.store.accounts.byId(accountId);
  const now = mayHold(account, 'therapist');
  if (before === now) return;
  for (const session of await deps.store.sessions.listForAccount(accountId)) {
    const member = await deps.store.sessions.member(session.id, accountId);
    if (member?.role !== 'therapist') continue;
    if (now && isLocked(session.status) && (await lockedWithout(deps.store, member))) await notify(deps, [accountId], { kind: 'locked_without_you', sessionId: session.id, actorId });
    if (!now) await tellReadyToLock(deps, session, actorId, { change: accountChangeOf(account!), accountId });
  }
}

/**
 * Tells the therapists of an ended note whose signers changed (`signer` could no longer sign, or
 * was taken off it by `actorId`) what is left to lock it, naming `signer` and what was done. Before (6 Dec) an admin's removal of
 * the co-therapist told nobody.
 * - It waits for no one but those who signed: it locks at the press of one whose every co-signer's
 *   signature is of the note as it is now (`lock_waiting`, to them alone: one of an earlier version
 *   was counted, and the other's press was refused as already signed).
 * - No one press locks it (several must still sign, or each signature is of another version than
 *   another's): those whose signature of the note as it is now it lacks are told so
 *   (`signatures_left`; before, nobody was told anything).
 * - The press of the one therapist still to sign locks it: nobody is told more than their queue says.
 */
export async function tellReadyToLock(deps: Deps, session: SessionRecord, actorId: string, signer: { change: SignerChange; accountId: string }): Promise<void> {
  if (session.status !== 'ended') return;
  const { awaited, missing, counted } = await signingState(deps.store, session);
  if (awaited.length === 0) return;
  const digest = await storedDigest(deps, session.id);
  const current = (t: string) => counted.some((e) => e.actorId === t && e.digest === digest);
  const locking = awaited.filter((t) => awaited.every((o) => o === t || current(o)));
  // Whose account changed, and how, is kept with the notice: its words name them (lockNoticeWords.ts).
  const refId = signerChangeRef(signer.change, signer.accountId);
  if (locking.length === 0) await notify(deps, awaited.filter((t) => !current(t)), { kind: 'signatures_left', sessionId: session.id, actorId, refId });
  else if (missing.length === 0) await notify(deps, locking, { kind: 'lock_waiting', sessionId: session.id, actorId, refId });
}

/**
 * Whether the locked note of `member` was locked without their signature as signing counts one: of
 * the note as locked (the round's last signature's digest) and given since the attendance or labels
 * last changed. One given before that change did not count, and was taken as signed (attack, 6 Dec);
 * and one added after the lock was told it was locked while their account could not sign it.
 */
async function lockedWithout(store: Pick<Store, 'events' | 'audit'>, member: MemberRecord): Promise<boolean> {
  const [events, changedAt] = await Promise.all([store.events.list(member.sessionId), recordChangedAt(store, member.sessionId)]);
  const round = currentRound(events);
  const lock = round.at(-1);
  if (lock !== undefined && member.addedAt > lock.at) return false;
  return !round.some((e) => e.actorId === member.accountId && e.at > changedAt && e.digest === lock?.digest);
}
