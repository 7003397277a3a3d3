/**
 * Who is using the app. Loaded once from `/api/me` (the HttpOnly cookie cannot be read by script,
 * so the server is asked), with `/api/setup` consulted only when nobody is logged in.
 */
import { createContext, useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AccountView } from '../../shared/domain/account';
import { fetchMe, fetchSetupNeeded, logout } from '../api/auth';
import { ApiError, errorMessage } from '../api/http';
import { useFlash } from '../components/Flash';
import { useFreshness } from '../components/useFreshness';
import { recallAccount, rememberAccount } from '../offline/deviceAnswers';
import { forgetOnDevice } from '../offline/forgetOnDevice';
import { onBackOnline } from '../offline/offlineStatus';

export type AuthState =
  | { status: 'loading' }
  | { status: 'unreachable'; message: string }
  | { status: 'setup-needed' }
  /** `logout` when the person chose to leave: nothing to return to after the next login. */
  | { status: 'signed-out'; reason: 'initial' | 'expired' | 'logout' }
  | { status: 'signed-in'; user: AccountView };

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

/** Null when `isOvertaken` says a later read, a login or a logout came meanwhile: this answer decides nothing. */
async function loadAuthState(isOvertaken: () => boolean): Promise<AuthState | null> {
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
  if (isOvertaken()) return null;
  const known = recallAccount();
  if (known) await forgetOnDevice(known.id);
  try {
    return (await fetchSetupNeeded()) ? { status: 'setup-needed' } : { status: 'signed-out', reason: 'initial' };
  } catch (err) {
    return { status: 'unreachable', message: errorMessage(err) };
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'loading' });
  // Reads overlap (Try again pressed twice, the network back while one is out) and can answer out
  // of order, or after a login or logout made while they were out. Only the last read decides, and
  // only if no login or logout came after it: an older answer put 'could not reach its server' back
  // over the login page the newer one had shown, or undid a login or logout made meanwhile.
  const freshness = useFreshness();
  const settle = useCallback(
    (next: AuthState) => {
      freshness.next();
      setState(next);
    },
    [freshness],
  );

  const reload = useCallback(async () => {
    const asked = freshness.next();
    const next = await loadAuthState(() => !freshness.isLatest(asked));
    if (next && freshness.isLatest(asked)) setState(next);
  }, [freshness]);
  useEffect(() => {
    void reload();
  }, [reload]);
  // Signed in from this device's copy while offline: ask the server again once the network is back.
  useEffect(() => onBackOnline(() => void reload()), [reload]);

  const signedIn = useCallback((user: AccountView) => {
    // Another person on this browser: the previous account's kept answers and saved copies go.
    const previous = recallAccount();
    if (previous && previous.id !== user.id) void forgetOnDevice(previous.id);
    rememberAccount(user);
    settle({ status: 'signed-in', user });
  }, [settle]);
  const { show } = useFlash();
  const accountId = state.status === 'signed-in' ? state.user.id : null;
  // The notes this browser kept for this person go when their login ends, unless they hold unsaved edits.
  const forgetCopies = useCallback(async () => (accountId ? forgetOnDevice(accountId) : 0), [accountId]);
  // The server ended the login (expired, password changed elsewhere, ended by an admin): the
  // copies go as at a logout, so a lost or shared computer does not keep the notes.
  const signedOut = useCallback(() => {
    settle({ status: 'signed-out', reason: 'expired' });
    void forgetCopies();
  }, [forgetCopies, settle]);
  const logOut = useCallback(async () => {
    // Even if the request fails the person asked to leave: forget them locally either way.
    await logout().catch(() => undefined);
    settle({ status: 'signed-out', reason: 'logout' });
    const kept = await forgetCopies();
    if (kept > 0) {
      show(
        kept === 1
          ? 'One note on this device has edits the server has not confirmed yet. It is kept here and sent the next time you open that session.'
          : `${kept} notes on this device have edits the server has not confirmed yet. They are kept here and sent the next time you open those sessions.`,
      );
    }
  }, [forgetCopies, show, settle]);

  const value = useMemo(
    () => ({ state, signedIn, signedOut, logOut, reload }),
    [state, signedIn, signedOut, logOut, reload],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
