import type { Store } from '../persistence/ports';
import { mayHold } from '../services/memberGrants';
import { signingState } from '../services/signingState';
import { isLocked } from '../../shared/domain/lifecycle';
import type { LiveEvents } from './LiveEvents';
import { notify } from './notices';

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
export async function tellSignersOfAccountChange(deps: { store: Store; live: LiveEvents }, accountId: string, actorId: string, before: boolean): Promise<void> {
  const now = mayHold(await deps.store.accounts.byId(accountId), 'therapist');
  if (before === now) return;
  for (const session of await deps.store.sessions.listForAccount(accountId)) {
    if ((await deps.store.sessions.member(session.id, accountId))?.role !== 'therapist') continue;
    const { awaited, missing } = await signingState(deps.store, session);
    if (!now && session.status === 'ended' && awaited.length > 0 && missing.length === 0) await notify(deps, awaited, { kind: 'lock_waiting', sessionId: session.id, actorId });
    if (now && isLocked(session.status) && missing.includes(accountId)) await notify(deps, [accountId], { kind: 'locked_without_you', sessionId: session.id, actorId });
  }
}
