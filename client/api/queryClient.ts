/**
 * The one QueryClient's policy for the server state the pages show: how often to ask again, what
 * to retry, and where an expired login goes. Transport stays `apiRequest` (http.ts).
 */
import { MutationCache, onlineManager, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './http';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: RequestMeta;
    mutationMeta: RequestMeta;
  }
}

/** Per query or mutation: how its errors are read. */
export interface RequestMeta extends Record<string, unknown> {
  /** False for the login form, where 401 means "wrong password", not "login expired". @default true */
  unauthorizedIsExpiry?: boolean;
}

/** Tries after the first one for an answer that may come next time. @default 2 */
const MAX_RETRIES = 2;

/**
 * Retries only what may answer differently a moment later: a server error (5xx) or a network
 * failure while the browser believes it is online. A 4xx (no access, no such session, a bad
 * request) will answer the same, and a clinician waiting on it should see why at once.
 */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= MAX_RETRIES || !(error instanceof ApiError)) return false;
  // Offline, the wrapper already answered from this device if it could; asking again is no use.
  if (error.status === 0) return navigator.onLine;
  return error.status >= 500;
}

/**
 * `onUnauthorized` gets every error whose request did not opt out, and sends a 401 to the login
 * flow (it returns whether it did).
 */
export function createQueryClient(onUnauthorized: (error: unknown) => boolean): QueryClient {
  // Query assumes it starts online and refetches on the browser's `online` event only when that
  // changes its mind: a page opened offline must know, so the network's return reads it again.
  onlineManager.setOnline(navigator.onLine);
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (query.meta?.unauthorizedIsExpiry !== false) onUnauthorized(error);
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        if (mutation.meta?.unauthorizedIsExpiry !== false) onUnauthorized(error);
      },
    }),
    defaultOptions: {
      queries: {
        // The wrapper answers a GET from this device's kept copy when offline: always let it run.
        networkMode: 'always',
        // 'always' would turn this off: what was answered from the device, or failed, offline is read again.
        refetchOnReconnect: true,
        retry: shouldRetry,
        // Pages change when the live stream or a write says so, not when a window gets focus.
        refetchOnWindowFocus: false,
      },
      // A write is never repeated by itself: the person sees the error and decides.
      mutations: { networkMode: 'always', retry: false },
    },
  });
}
