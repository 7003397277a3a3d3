import type { Store } from '../persistence/ports';
import { mayHold } from '../services/memberGrants';
import { signingState } from '../services/signingState';
import type { LiveEvents } from './LiveEvents';
import { notify } from './notices';

/**
 * After an account can no longer sign (made an admin, deactivated: `accountId`, by admin
 * `actorId`), tells the therapists of each open note that now has every signature it waits for
 * that it locks when one of them presses Sign again. Before (6 Dec) nobody was told: A had signed,
 * B was made an admin, and the note stood unlocked with an empty "waiting for" until A happened to
 * press Sign. It is not locked for them: a signature given while B was still waited for was not
 * given to lock the note alone.
 */
export async function tellLockWaiting(deps: { store: Store; live: LiveEvents }, accountId: string, actorId: string): Promise<void> {
  if (mayHold(await deps.store.accounts.byId(accountId), 'therapist')) return;
  for (const session of await deps.store.sessions.listForAccount(accountId)) {
    if (session.status !== 'ended' || (await deps.store.sessions.member(session.id, accountId))?.role !== 'therapist') continue;
    const { awaited, missing } = await signingState(deps.store, session);
    if (awaited.length > 0 && missing.length === 0) await notify(deps, awaited, { kind: 'lock_waiting', sessionId: session.id, actorId });
  }
}
