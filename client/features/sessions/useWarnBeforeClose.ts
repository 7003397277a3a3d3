import { useEffect } from 'react';
import type { CollabStatus } from '../../collab/useCollabDoc';

/**
 * While this device holds edits the server has not confirmed, closing or reloading the tab asks
 * first. The edits would survive in this browser, but nobody else sees them until the note is
 * opened here again, so a therapist leaving the room should know. Nothing is asked once saved.
 */
export function useWarnBeforeClose(status: CollabStatus): void {
  const unconfirmed = status.kind === 'ready' && status.unconfirmed;
  useEffect(() => {
    if (!unconfirmed) return;
    const warn = (event: BeforeUnloadEvent) => {
      // Both, for every current browser; the text itself is the browser's own.
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [unconfirmed]);
}
