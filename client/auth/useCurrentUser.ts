import { useContext } from 'react';
import type { AccountView } from '../../shared/domain/account';
import { AuthContext, type AuthContextValue } from './AuthProvider';

/** The auth context; only components under `<AuthProvider>` may call it. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/**
 * The logged-in account. Pages behind the sign-in gate call this; the gate guarantees a user,
 * so a missing one is a programming error rather than a state to render.
 */
export function useCurrentUser(): AccountView {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useCurrentUser called outside the signed-in area');
  return state.user;
}
