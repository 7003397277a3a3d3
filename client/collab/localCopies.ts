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

/**
 * The pages whose edits in the copy the server has not confirmed: each page's Yjs client id and
 * the clock its edits in the copy reach, kept in localStorage, which survives a crash. One flag for
 * the copy was written by whichever tab changed its save state last: a tab that had saved
 * everything cleared it while words another tab typed offline, and closed, were still unsent, and a
 * logout then deleted them (walk, 5 Dec). A flag from before (`1`) is kept as `legacy`, which a
 * page that has everything it opened confirmed answers for. Throws when storage cannot be read.
 */
function unsavedPages(name: string): Record<string, number> {
  const value = window.localStorage.getItem(unsavedKey(name));
  if (value === null) return {};
  try {
    const pages: unknown = JSON.parse(value);
    if (pages !== null && typeof pages === 'object' && !Array.isArray(pages)) {
      return Object.fromEntries(Object.entries(pages).filter((e): e is [string, number] => typeof e[1] === 'number'));
    }
  } catch {
    // An older flag.
  }
  return { legacy: 0 };
}

/**
 * Records whether the page writing under Yjs client `client` holds edits in the copy the server
 * has not confirmed, up to `clock` (its next clock). Any other page's entry goes once `confirmed`
 * (how far the server holds a client's edits, as this page knows it) reaches its clock: the server
 * stored those edits, whichever page sent them.
 */
export function markUnsaved(name: string, client: number, clock: number, unsaved: boolean, confirmed: (client: number) => number): void {
  try {
    const before = unsavedPages(name);
    const pages = { ...before };
    if (unsaved) pages[client] = Math.max(pages[client] ?? 0, clock);
    else delete pages[client];
    for (const [page, upTo] of Object.entries(pages)) {
      const stored = page === 'legacy' ? (unsaved ? -1 : Infinity) : confirmed(Number(page));
      if (page !== String(client) && stored >= upTo) delete pages[page];
    }
    if (JSON.stringify(pages) === JSON.stringify(before)) return;
    if (Object.keys(pages).length > 0) window.localStorage.setItem(unsavedKey(name), JSON.stringify(pages));
    else window.localStorage.removeItem(unsavedKey(name));
  } catch {
    // Storage can be disabled; then nothing is deleted at logout, which is the safe side.
  }
}

/** Whether the copy held unconfirmed edits when last seen (true when storage cannot tell: the safe side). */
export function isUnsaved(name: string): boolean {
  try {
    return Object.keys(unsavedPages(name)).length > 0;
  } catch {
    return true;
  }
}

/** Deletes one copy, whatever it holds (the caller has closed it, or it is deleted once closed). */
export function deleteCopy(name: string): Promise<void> {
  try {
    window.localStorage.removeItem(unsavedKey(name));
  } catch {
    // Nothing recorded, nothing to remove.
  }
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
