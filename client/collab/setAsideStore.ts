/**
 * Changes set aside because they were too large for the server (see outgoingLimit.ts), kept in
 * IndexedDB on this device so nothing pasted or typed is lost with them. One database per
 * account, one record per change (`{ sessionId, at, text, size, limit }`, `at` in epoch
 * ms, sizes in bytes). Unlike the copies of notes it is not cleared at logout: it holds what the
 * server never stored, like an unconfirmed copy. A record leaves only when the person removes it.
 */
import { z } from 'zod';
import type { SetAsideChange } from './outgoingLimit';

const STORE = 'changes';
/** The account's database, and the channel its pages in this browser tell each other of changes on. */
const nameOf = (accountId: string) => `tandem-set-aside:${accountId}`;

/** A change kept on this device, as the page shows it; `key` names it in the store. */
export interface KeptAside {
  key: number;
  at: number;
  text: string;
  size: number;
  limit: number;
}

/** Bounded so that a damaged record cannot stop the page: a time past what Date holds threw when shown (walk, 5 Dec). */
const bytes = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const recordSchema = z.object({ sessionId: z.string(), at: z.number().int().min(0).max(8.64e15), text: z.string(), size: bytes, limit: bytes });

/**
 * Opens the account's database, creating it and its store when `create`; `version` upgrades it
 * to add a store it lacks. Null when it does not exist and `create` is false: reading at every
 * note opening created an empty database per account, which logout then had to forget.
 */
function openDatabase(name: string, create: boolean, version?: number): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    const opening = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
    let absent = false;
    opening.onupgradeneeded = () => {
      if (!create) {
        absent = true;
        opening.transaction?.abort();
        return;
      }
      if (!opening.result.objectStoreNames.contains(STORE)) opening.result.createObjectStore(STORE, { autoIncrement: true });
    };
    opening.onerror = () => (absent ? resolve(null) : reject(opening.error));
    opening.onsuccess = () => resolve(opening.result);
  });
}

/**
 * The account's database with its store in it. A database without the store (damaged, or made by
 * something else; walk, 5 Dec: the next change set aside then vanished without a notice) gets it
 * in a new version when `create`, and reads as nothing otherwise.
 */
async function databaseWithStore(accountId: string, create: boolean): Promise<IDBDatabase | null> {
  const name = nameOf(accountId);
  const db = await openDatabase(name, create);
  if (!db || db.objectStoreNames.contains(STORE)) return db;
  db.close();
  return create ? openDatabase(name, true, db.version + 1) : null;
}

/**
 * Runs `work` in one transaction of the account's store; settles when the transaction does.
 * With `absent`, a device holding no store resolves `absent.value` and nothing is created.
 */
async function inStore<T>(accountId: string, mode: IDBTransactionMode, work: (store: IDBObjectStore, done: (value: T) => void) => void, absent?: { value: T }): Promise<T> {
  const db = await databaseWithStore(accountId, !absent);
  if (!db) return absent!.value;
  return new Promise((resolve, reject) => {
    let result: T;
    try {
      const tx = db.transaction(STORE, mode);
      work(tx.objectStore(STORE), (value) => (result = value));
      tx.oncomplete = () => {
        db.close();
        resolve(result);
      };
      tx.onerror = () => {
        db.close();
        reject(tx.error);
      };
    } catch (err) {
      db.close();
      reject(err);
    }
  });
}

/** Tells the account's other pages in this browser that its changes kept aside changed (a new one, one removed). */
function announce(accountId: string): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(nameOf(accountId));
  channel.postMessage('changed');
  channel.close();
}

/**
 * Calls `onChange` when another page of this browser keeps or removes one of the account's
 * changes (walk, 5 Dec: a second tab of the note listed a new one only after a reload, and kept
 * listing one removed in the first). Returns the unsubscribe.
 */
export function watchAside(accountId: string, onChange: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(nameOf(accountId));
  channel.onmessage = onChange;
  return () => channel.close();
}

/** Keeps a change; resolves once it is stored. Rejects when the device cannot keep it (storage off or full). */
export function keepAside(accountId: string, sessionId: string, change: SetAsideChange): Promise<void> {
  return inStore(accountId, 'readwrite', (store, done) => {
    store.add({ sessionId, ...change });
    done(undefined);
  }).then(() => announce(accountId));
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
  }, { value: undefined }).then(() => announce(accountId));
}
