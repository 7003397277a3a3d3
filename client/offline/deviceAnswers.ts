/**
 * The API answers this device keeps so that the sessions opened here also open without a network:
 * who is signed in, each opened session's record (with its members and group-member labels) and
 * the codebook. One IndexedDB database per account, deleted when that account logs out, its login
 * ends, or another account signs in on this browser. The service worker never caches API answers.
 */
import * as idb from 'lib0/indexeddb';
import { z } from 'zod';
import type { AccountView } from '../../shared/domain/account';
import { accountRoleSchema } from '../../shared/domain/roles';

const STORE = 'answers';
/** The last account the server confirmed on this browser (a name and an email, no clinical text). */
const ACCOUNT_KEY = 'tandem-device-account';

const databaseOf = (accountId: string) => `tandem-answers:${accountId}`;

/** The kept account is read back through this: a damaged or foreign record is no account. */
const keptAccountSchema = z.object({
  id: z.string().min(1),
  email: z.string(),
  name: z.string(),
  role: accountRoleSchema,
  active: z.boolean(),
  color: z.string(),
  createdAt: z.string(),
}) satisfies z.ZodType<AccountView>;

/** Whose answers are kept: the account the server last confirmed in this tab. */
let keeper: string | null = null;

/** The IndexedDB key an answer is kept under, or null for answers not worth keeping. */
function keyOf(path: string): string | null {
  if (path === '/api/tags') return 'tags';
  const session = /^\/api\/sessions\/([^/?#]+)$/.exec(path);
  return session ? `session:${decodeURIComponent(session[1]!)}` : null;
}

const SESSION_PREFIX = 'session:';

function open(accountId: string): Promise<IDBDatabase> {
  return idb.openDB(databaseOf(accountId), (db) => idb.createStores(db, [[STORE]]));
}

async function withStore<T>(accountId: string, access: 'readonly' | 'readwrite', use: (store: IDBObjectStore) => Promise<T>): Promise<T> {
  const db = await open(accountId);
  try {
    const [store] = idb.transact(db, [STORE], access);
    return await use(store!);
  } finally {
    db.close();
  }
}

/** Records who is signed in, so a reload without a network knows whose copies to open. */
export function rememberAccount(user: AccountView): void {
  keeper = user.id;
  try {
    window.localStorage.setItem(ACCOUNT_KEY, JSON.stringify(user));
  } catch {
    // Storage disabled: this browser simply cannot open notes offline.
  }
}

/** The account this browser last saw signed in, if it has not logged out since. */
export function recallAccount(): AccountView | null {
  try {
    const raw = window.localStorage.getItem(ACCOUNT_KEY);
    if (!raw) return null;
    const kept = keptAccountSchema.safeParse(JSON.parse(raw));
    return kept.success ? kept.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether this browser has stopped keeping `accountId` as its account: a logout or an ended login
 * in any tab forgets it (forgetAnswers) before the account's copies of notes go. False when the
 * browser's storage cannot be read, which says nothing about the login.
 */
export function accountForgotten(accountId: string): boolean {
  try {
    window.localStorage.getItem(ACCOUNT_KEY);
  } catch {
    return false;
  }
  return recallAccount()?.id !== accountId;
}

/** Deletes every answer kept for `accountId`, and forgets it as this browser's account. */
export async function forgetAnswers(accountId: string): Promise<void> {
  if (keeper === accountId) keeper = null;
  if (recallAccount()?.id === accountId) {
    try {
      window.localStorage.removeItem(ACCOUNT_KEY);
    } catch {
      // Nothing was stored then.
    }
  }
  await idb.deleteDB(databaseOf(accountId)).catch(() => undefined);
}

/** The session a GET of `path` reads the record of (`/api/sessions/<id>`), or null. */
export function sessionOfPath(path: string): string | null {
  const key = keyOf(path);
  return key?.startsWith(SESSION_PREFIX) ? key.slice(SESSION_PREFIX.length) : null;
}

/** The account whose answers this tab keeps, or null. */
export const keepingFor = (): string | null => keeper;

/** Deletes what was kept of one session's record for `accountId`. */
export async function forgetSessionAnswer(accountId: string, sessionId: string): Promise<void> {
  await withStore(accountId, 'readwrite', (store) => idb.del(store, `${SESSION_PREFIX}${sessionId}`)).catch(() => undefined);
}

/** Keeps the server's answer to a GET of `path` for the signed-in account, when it is one worth keeping. */
export async function keepAnswer(path: string, body: unknown): Promise<void> {
  if (path === '/api/me') return rememberAccount(body as AccountView);
  const key = keyOf(path);
  const accountId = keeper;
  if (!key || !accountId) return;
  // Stored as JSON text: exactly what the server said, nothing IndexedDB would reshape.
  await withStore(accountId, 'readwrite', (store) => idb.put(store, JSON.stringify(body), key)).catch(() => undefined);
}

/**
 * What this device kept for a GET of `path`, for use when the server cannot be reached; null when
 * it has nothing. The list of sessions is the sessions opened on this device.
 */
export async function answerFromDevice(path: string): Promise<{ body: unknown } | null> {
  if (path === '/api/me') {
    const account = recallAccount();
    if (account) keeper = account.id;
    return account ? { body: account } : null;
  }
  const accountId = keeper;
  if (!accountId) return null;
  try {
    if (path === '/api/sessions') {
      const all = await withStore(accountId, 'readonly', (store) => idb.getAllKeysValues(store));
      return { body: all.filter((kv) => String(kv.k).startsWith(SESSION_PREFIX)).map((kv) => JSON.parse(String(kv.v)) as unknown) };
    }
    const key = keyOf(path);
    if (!key) return null;
    const kept = await withStore(accountId, 'readonly', (store) => idb.get(store, key));
    return typeof kept === 'string' ? { body: JSON.parse(kept) as unknown } : null;
  } catch {
    return null;
  }
}
