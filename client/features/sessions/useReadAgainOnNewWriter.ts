import { useEffect } from 'react';
import type * as Y from 'yjs';

/**
 * Reads the session again when words reach the note under a Yjs client id it did not hold yet:
 * someone has begun writing. The server relays such words only once that id is bound to its author
 * (server/collab/fanOutStage.ts), and a therapist who has written stays a member until the note is
 * signed (removalRefusal, server/services/membership.ts), so the session read then carries that
 * member's `notRemovable`. A clinician walk: the members list kept offering Remove for the
 * co-therapist who had started writing after the page opened, and the server refused it.
 * `isWatching`: whether a member shown could become unremovable that way.
 */
export function useReadAgainOnNewWriter(doc: Y.Doc | null, isWatching: boolean, readAgain: () => void): void {
  useEffect(() => {
    if (!doc || !isWatching) return;
    // A client id the note did not hold before the transaction; our own typing never makes someone else unremovable.
    const handleTransaction = (tr: Y.Transaction) => {
      for (const clientId of tr.afterState.keys()) {
        if (clientId === doc.clientID || tr.beforeState.has(clientId)) continue;
        readAgain();
        return;
      }
    };
    doc.on('afterTransaction', handleTransaction);
    return () => doc.off('afterTransaction', handleTransaction);
  }, [doc, isWatching, readAgain]);
}
