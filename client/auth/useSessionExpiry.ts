import { useCallback } from 'react';
import { ApiError } from '../api/http';
import { useFlash } from '../components/Flash';
import { useAuth } from './useCurrentUser';

/** The message shown on the login page after the server stopped recognising the login. */
export const EXPIRED_MESSAGE =
  'You were logged out, or your login expired. Log in again to continue; edits not yet saved stay on this device.';

/**
 * Returns a handler that recognises "not logged in any more" (HTTP 401) and sends the person to
 * the login page with a message. Returns true when it handled the error.
 */
export function useSessionExpiry(): (error: unknown) => boolean {
  const { signedOut } = useAuth();
  const { show } = useFlash();
  return useCallback(
    (error: unknown) => {
      if (!(error instanceof ApiError) || error.status !== 401) return false;
      show(EXPIRED_MESSAGE);
      signedOut();
      return true;
    },
    [signedOut, show],
  );
}
