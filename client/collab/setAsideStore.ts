/**
 * Changes set aside because they were too large for the server (see outgoingLimit.ts), kept in
 * IndexedDB on this device so nothing pasted or typed is lost with them. One database per
 * account. Unlike the copies of notes it is not cleared at logout: it holds what the server never
 * stored, like an unconfirmed copy.
 */
import type { SetAsideChange } from './outgoingLimit';

const STORE = 'changes';

export function keepAside(accountId: string, sessionId: string, change: SetAsideChange): Promise<void> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(`tandem-set-aside:${accountId}`, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { autoIncrement: true });
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).add({ sessionId, ...change });
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    };
  });
}
