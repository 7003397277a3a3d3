/**
 * Who is using the app. Loaded once from `/api/me` (the HttpOnly cookie cannot be read by script,
 * so the server is asked), with `/api/setup` consulted only when nobody is logged in. Kept in the
 * query cache (authCache.ts), which orders reads against logins and logouts.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useEffect, useMemo, type ReactNode } from 'react';
import type { AccountView } from '../../shared/domain/account';
import { fetchMe, fetchSetupNeeded, logout } from '../api/auth';
import { ApiError, errorMessage } from '../api/http';
import { useFlash } from '../components/Flash';
import { recallAccount, rememberAccount } from '../offline/deviceAnswers';
import { forgetOnDevice } from '../offline/forgetOnDevice';
import { keys } from '../query/keys';
import { endLogin, settleAuth, type AuthState } from './authCache';

export type { AuthState } from './authCache';

export interface AuthContextValue {
  state: AuthState;
  /** Records a successful login or setup (the server already set the cookie). */
  signedIn(user: AccountView): void;
  /** Forgets the user locally, e.g. after the server closed a socket with "unauthorized". */
  signedOut(): void;
  /** Logs out on the server, then locally. */
  logOut(): Promise<void>;
  /** Asks the server again (after a network error, or when the app returns to the page). */
  reload(): Promise<void>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

const LOADING: AuthState = { status: 'loading' };

/**
 * Reads who is signed in. `isOvertaken` is true once a later read, a login or a logout cancelled
 * this one: its answer decides nothing then, and it must not forget what a new login keeps.
 */
async function loadAuthState(isOvertaken: () => boolean): Promise<AuthState> {
  try {
    // Without a network this is the account this browser last saw signed in (offline/deviceAnswers.ts).
    return { status: 'signed-in', user: await fetchMe() };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) {
      return { status: 'unreachable', message: errorMessage(err) };
    }
  }
  // The login ended while this browser was away (or offline): what it kept for it goes, as at a logout.
  // Not if a login came since this read left: what it keeps is that new login's.
  if (isOvertaken()) return LOADING;
  const known = recallAccount();
  if (known) await forgetOnDevice(known.id);
  try {
    return (await fetchSetupNeeded()) ? { status: 'setup-needed' } : { status: 'signed-out', reason: 'initial' };
  } catch (err) {
    return { status: 'unreachable', message: errorMessage(err) };
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  // Reads overlap (Try again pressed twice, the network back while one is out) and could answer
  // out of order, or after a login or logout made meanwhile: a new read cancels the one out
  // (refetch's cancelRefetch), and a login or logout cancels any read out (settleAuth), so an
  // older answer never puts "could not reach its server" over the login page, or undoes a login.
  const query = useQuery({
    queryKey: keys.auth,
    queryFn: ({ signal }) => loadAuthState(() => signal.aborted),
    // Asked again only when told to (Try again, the network back): a page opening is no reason.
    staleTime: Infinity,
  });
  const state = query.data ?? LOADING;
  const reload = useCallback(async () => {
    await client.refetchQueries({ queryKey: keys.auth });
  }, [client]);

  // Nobody signed in: nothing read for the last person stays in memory for the next one.
  const isSignedIn = state.status === 'signed-in';
  useEffect(() => {
    if (!isSignedIn) client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.auth[0] });
  }, [client, isSignedIn]);

  const signedIn = useCallback(
    (user: AccountView) => {
      // Another person on this browser: the previous account's kept answers and saved copies go.
      const previous = recallAccount();
      if (previous && previous.id !== user.id) void forgetOnDevice(previous.id);
      rememberAccount(user);
      settleAuth(client, { status: 'signed-in', user });
    },
    [client],
  );
  const { show } = useFlash();
  // The server ended the login (expired, password changed elsewhere, ended by an admin): the
  // copies go as at a logout, so a lost or shared computer does not keep the notes.
  const signedOut = useCallback(() => void endLogin(client, 'expired'), [client]);
  const logOut = useCallback(async () => {
    // Even if the request fails the person asked to leave: forget them locally either way.
    await logout().catch(() => undefined);
    const kept = await endLogin(client, 'logout');
    if (kept > 0) {
      show(
        kept === 1
          ? 'One note on this device has edits the server has not confirmed yet. It is kept here and sent the next time you open that session.'
          : `${kept} notes on this device have edits the server has not confirmed yet. They are kept here and sent the next time you open those sessions.`,
      );
    }
  }, [client, show]);

  const value = useMemo(() => ({ state, signedIn, signedOut, logOut, reload }), [state, signedIn, signedOut, logOut, reload]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
