/**
 * Who is signed in, kept as the query `keys.auth` so that a read of `/api/me` and a login, logout
 * or expiry made while it was out are ordered by the query cache: a change cancels the read under
 * way (its answer is then dropped) before it sets the new state.
 */
import type { QueryClient } from '@tanstack/react-query';
import type { AccountView } from '../../shared/domain/account';
import { keys } from '../query/keys';
import { forgetOnDevice } from '../offline/forgetOnDevice';

export type AuthState =
  | { status: 'loading' }
  | { status: 'unreachable'; message: string }
  | { status: 'setup-needed' }
  /** `logout` when the person chose to leave: nothing to return to after the next login. */
  | { status: 'signed-out'; reason: 'initial' | 'expired' | 'logout' }
  | { status: 'signed-in'; user: AccountView };

/** Sets who is signed in now; a read of `/api/me` still out is cancelled and its answer never shown. */
export function settleAuth(client: QueryClient, next: AuthState): void {
  // Cancelling is synchronous in what it does to the cache (the read's state is reverted now);
  // the promise only says when the read has stopped.
  void client.cancelQueries({ queryKey: keys.auth });
  client.setQueryData<AuthState>(keys.auth, next);
}

/**
 * Ends the login on this device: signed out for `reason`, and the notes this browser kept for the
 * person go (unless they hold unsaved edits), so a lost or shared computer does not keep them.
 * Resolves to how many notes were kept for their unsaved edits.
 */
export async function endLogin(client: QueryClient, reason: 'expired' | 'logout'): Promise<number> {
  const before = client.getQueryData<AuthState>(keys.auth);
  settleAuth(client, { status: 'signed-out', reason });
  return before?.status === 'signed-in' ? forgetOnDevice(before.user.id) : 0;
}
