import { useEffect } from 'react';
import type { ExternalStore, SaveView } from '../../collab/useCollabDoc';

/**
 * While this device holds edits the server has not confirmed, closing or reloading the tab asks
 * first. The edits would survive in this browser, but nobody else sees them until the note is
 * opened here again, so a therapist leaving the room should know. Nothing is asked once saved.
 * It follows the save state without rendering (that flips with every keystroke).
 */
export function useWarnBeforeClose(saveState: ExternalStore<SaveView>): void {
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      // Both, for every current browser; the text itself is the browser's own.
      event.preventDefault();
      event.returnValue = '';
    };
    let warning = false;
    // The listener is there only while needed: a page with none can be kept in the back/forward cache.
    const follow = () => {
      const view = saveState.getSnapshot();
      const unconfirmed = view.kind === 'ready' && view.unconfirmed;
      if (unconfirmed === warning) return;
      warning = unconfirmed;
      if (warning) window.addEventListener('beforeunload', warn);
      else window.removeEventListener('beforeunload', warn);
    };
    follow();
    const unsubscribe = saveState.subscribe(follow);
    return () => {
      unsubscribe();
      window.removeEventListener('beforeunload', warn);
    };
  }, [saveState]);
}
