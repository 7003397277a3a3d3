/**
 * Changes set aside because they were too large for the server (see outgoingLimit.ts), kept in
 * IndexedDB on this device so nothing pasted or typed is lost with them. One database per
 * account, one record per change (`{ sessionId, at, update, text, size, limit }`, `at` in epoch
 * ms, sizes in bytes). Unlike the copies of notes it is not cleared at logout: it holds what the
 * server never stored, like an unconfirmed copy. A record leaves only when the person removes it.
 */
import { z } from 'zod';
import type { SetAsideChange } from './outgoingLimit';

const STORE = 'changes';

/** A change kept on this device, as the page shows it; `key` names it in the store. */
export interface KeptAside {
  key: number;
  at: number;
  text: string;
  size: number;
  limit: number;
}

const recordSchema = z.object({ sessionId: z.string(), at: z.number(), text: z.string(), size: z.number(), limit: z.number() });

/**
 * Runs `work` in one transaction of the account's store; settles when the transaction does.
 * Without `absent` it creates the database; with it, a device that never set a change aside
 * resolves `absent` without creating one (reading at every note opening left an empty database
 * behind for each account, which logout then had to forget).
 */
function inStore<T>(accountId: string, mode: IDBTransactionMode, work: (store: IDBObjectStore, done: (value: T) => void) => void, absent?: { value: T }): Promise<T> {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open(`tandem-set-aside:${accountId}`, 1);
    let aborted = false;
    opening.onupgradeneeded = () => {
      if (absent) {
        aborted = true;
        opening.transaction?.abort();
        return;
      }
      opening.result.createObjectStore(STORE, { autoIncrement: true });
    };
    opening.onerror = () => (aborted && absent ? resolve(absent.value) : reject(opening.error));
    opening.onsuccess = () => {
      const db = opening.result;
      const tx = db.transaction(STORE, mode);
      let result: T;
      work(tx.objectStore(STORE), (value) => (result = value));
      tx.oncomplete = () => {
        db.close();
        resolve(result);
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    };
  });
}

/** Keeps a change; resolves once it is stored. Rejects when the device cannot keep it (storage off or full). */
export function keepAside(accountId: string, sessionId: string, change: SetAsideChange): Promise<void> {
  return inStore(accountId, 'readwrite', (store, done) => {
    store.add({ sessionId, ...change });
    done(undefined);
  });
}

/**
 * The changes kept for one note, oldest first. A record that does not parse (damaged, or written
 * by another version) is left where it is, unshown, never deleted.
 */
export function readAside(accountId: string, sessionId: string): Promise<KeptAside[]> {
  return inStore<KeptAside[]>(accountId, 'readonly', (store, done) => {
    const kept: KeptAside[] = [];
    done(kept);
    const request = store.openCursor();
    request.onsuccess = () => {
      const cursor = request.result;
      if (!cursor) return;
      const parsed = recordSchema.safeParse(cursor.value);
      if (parsed.success && parsed.data.sessionId === sessionId && typeof cursor.key === 'number') {
        const { at, text, size, limit } = parsed.data;
        kept.push({ key: cursor.key, at, text, size, limit });
      }
      cursor.continue();
    };
  }, { value: [] });
}

/** Removes one kept change: the person has copied it or does not want it. */
export function forgetAside(accountId: string, key: number): Promise<void> {
  return inStore(accountId, 'readwrite', (store, done) => {
    store.delete(key);
    done(undefined);
  }, { value: undefined });
}
