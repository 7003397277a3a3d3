import { useEffect } from 'react';
import { useAuth } from '../../auth/useCurrentUser';
import { EXPIRED_MESSAGE } from '../../auth/sessionExpiry';
import type { CollabStatus } from '../../collab/useCollabDoc';
import { useFlash } from '../../components/Flash';
import { navigate } from '../../router';

/**
 * When the server ends the note's connection for good, leave the editor with a clear message:
 * an expired login goes to the login page (and back here after), lost membership to the list.
 */
export function useLeaveOnEnd(status: CollabStatus): void {
  const { signedOut } = useAuth();
  const { show } = useFlash();
  const reason = status.kind === 'ended' ? status.reason : null;
  const unsaved = status.kind === 'ended' && status.unsaved;

  useEffect(() => {
    if (reason === 'unauthorized') {
      show(EXPIRED_MESSAGE);
      // The router sends signed-out people to /login?next=<this page>.
      signedOut();
    } else if (reason === 'forbidden') {
      // The device's copy of the note is removed with it (CollabConnection.end).
      show(
        unsaved
          ? 'You are no longer a member of that session, so it was closed and removed from this device. What you typed there since it last said Saved was not saved.'
          : 'You are no longer a member of that session, so it was closed and removed from this device.',
      );
      navigate('/', { replace: true });
    }
  }, [reason, unsaved, show, signedOut]);
}
