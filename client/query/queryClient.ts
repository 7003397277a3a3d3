/**
 * The one QueryClient of the app, with defaults chosen for this client rather than TanStack's.
 * Each default below differs from TanStack's on purpose:
 *
 * - `retry: false`: a failed read shows its error at once, with "Try again", as before TanStack;
 *   three silent retries with backoff kept a page saying "Loading…" for seconds after the server
 *   refused, and an expired login would reach the login page only after them.
 * - `networkMode: 'always'`: run every read and change even when the browser says it is offline.
 *   A read without a network is answered from this device (api/http.ts, offline/deviceAnswers.ts);
 *   TanStack's default would hold it "paused" and the page would say "Loading…" for good, and a
 *   change would wait unseen instead of saying the connection is needed.
 * - `refetchOnWindowFocus: false`, `refetchOnReconnect: false`: no read because a window got the
 *   focus back (a page with a focused field would re-render under the person typing), and the
 *   network's return is handled by `refetchWhenBackOnline` below, which also notices a server that
 *   comes back while the browser thought it was online all along.
 * - `staleTime: 0` (TanStack's) and `refetchOnMount: true`: a page that opens reads its data again,
 *   showing what it last read of the same resource meanwhile (a key is one resource, so never
 *   another session's data); the server stays the one that decides.
 * - `gcTime`: five minutes (TanStack's); the cache is emptied anyway whenever nobody is signed in
 *   (auth/AuthProvider.tsx).
 *
 * A refresh that fails keeps the data on screen (TanStack keeps `data` beside the error), and a
 * background refresh never puts a page back to "Loading…": only a new key has no data yet.
 */
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { onBackOnline } from '../offline/offlineStatus';

/** What a mutation's `meta` may say. */
export interface ChangeMeta extends Record<string, unknown> {
  /** False for the login form, where 401 means "wrong password", not "login expired". */
  unauthorizedIsExpiry?: boolean;
}

/**
 * `onError` hears every failed read, and every failed change whose meta does not opt out, once:
 * the one place an expired login is recognised (the caller sends the person to the login page).
 */
export function createQueryClient(onError: (error: unknown) => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if ((mutation.meta as ChangeMeta | undefined)?.unauthorizedIsExpiry !== false) onError(error);
      },
    }),
    defaultOptions: {
      queries: {
        retry: false,
        networkMode: 'always',
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
        refetchOnMount: true,
        staleTime: 0,
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/**
 * While the page shows answers this device kept, reads every query in use again once the network
 * is back (the browser says so, or the server answers again): the server's answers replace the
 * device's. Returns the unsubscribe function.
 */
export function refetchWhenBackOnline(client: QueryClient): () => void {
  return onBackOnline(() => void client.invalidateQueries());
}
