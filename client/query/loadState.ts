/**
 * The three states a page shows for data it reads from the server, taken from a TanStack query.
 * Pages render these, not TanStack's flags: "loaded" must include a loaded page whose refresh
 * failed (TanStack calls that `status: 'error'` with data), which then keeps its data on screen.
 */
import type { UseQueryResult } from '@tanstack/react-query';

export type LoadState<T> =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  /** `refreshError`: a refresh failed; the data shown is the last that loaded. */
  | { status: 'ok'; data: T; refreshError?: unknown };

/** `query`: what `useQuery` returns. */
export function loadStateOf<T>(query: UseQueryResult<T, Error>): LoadState<T> {
  if (query.data !== undefined) {
    return query.status === 'error' ? { status: 'ok', data: query.data, refreshError: query.error } : { status: 'ok', data: query.data };
  }
  return query.status === 'error' ? { status: 'error', error: query.error } : { status: 'loading' };
}
