/**
 * The browser's copies of notes (IndexedDB, one database per account and session), and whether
 * each one holds edits the server has not yet confirmed. At logout the confirmed copies are
 * deleted, so a shared computer keeps no clinical text; unconfirmed ones are kept so nothing is lost.
 */

import type { IndexeddbPersistence } from 'y-indexeddb';
import { MAX_DEVICE_CLIENTS } from '../../shared/protocol/deviceClients';

const PREFIX = 'tandem:';
/** Where a copy keeps the Yjs client ids its pages wrote with, and how many it keeps (the latest). */
const CLIENTS_KEY = 'clients';

/** The IndexedDB database name of one account's copy of one note. */
export function localCopyName(accountId: string, sessionId: string): string {
  return `${PREFIX}${accountId}:${sessionId}`;
}

const unsavedKey = (name: string) => `tandem-unsaved:${name}`;

/** Records whether the copy holds edits the server has not confirmed (localStorage survives a crash). */
export function markUnsaved(name: string, unsaved: boolean): void {
  try {
    if (unsaved) window.localStorage.setItem(unsavedKey(name), '1');
    else window.localStorage.removeItem(unsavedKey(name));
  } catch {
    // Storage can be disabled; then nothing is deleted at logout, which is the safe side.
  }
}

/** Whether the copy held unconfirmed edits when last seen (true when storage cannot tell: the safe side). */
export function isUnsaved(name: string): boolean {
  try {
    return window.localStorage.getItem(unsavedKey(name)) !== null;
  } catch {
    return true;
  }
}

/** Deletes one copy, whatever it holds (the caller has closed it, or it is deleted once closed). */
export function deleteCopy(name: string): Promise<void> {
  markUnsaved(name, false);
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/**
 * Deletes this account's confirmed copies. Returns how many were kept because they still hold
 * unconfirmed edits. A copy still open in this tab is deleted once the page lets go of it.
 */
export async function clearSavedCopies(accountId: string): Promise<number> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return 0;
  let kept = 0;
  const mine = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(`${PREFIX}${accountId}:`));
  for (const name of mine) {
    if (isUnsaved(name)) kept++;
    else indexedDB.deleteDatabase(name);
  }
  return kept;
}

/**
 * The Yjs client ids this device's pages wrote this copy with, `current` (this page's, or the ids a
 * page knew when its copy was deleted under it) included; stored in the copy itself as JSON, so
 * they go with it. Every page of a note has a new id; words typed offline under an earlier one are
 * still this person's (offlineWords.ts). A copy that cannot keep them gives `current` alone.
 */
export async function deviceClients(copy: IndexeddbPersistence, current: readonly number[]): Promise<number[]> {
  let known: number[] = [];
  try {
    const stored: unknown = JSON.parse(String(await copy.get(CLIENTS_KEY) ?? '[]'));
    if (Array.isArray(stored)) known = stored.filter((c): c is number => Number.isSafeInteger(c));
  } catch {
    // No earlier ids: only this page's words are watched.
  }
  const clients = [...new Set([...known, ...current])].slice(-MAX_DEVICE_CLIENTS);
  try {
    await copy.set(CLIENTS_KEY, JSON.stringify(clients));
  } catch {
    // Kept for this page all the same.
  }
  return clients;
}
