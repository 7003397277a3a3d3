import { hashKey, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useMemo } from 'react';

/**
 * A stable callback that marks `queryKey` (and every key under it) stale after a change of mine or
 * for "Try again": the queries in use under it are read again, and a read still out is cancelled
 * and asked anew, so an answer that left before my change never lands after it. It resolves once
 * they are read again, for a change that holds its button until the page shows what it changed.
 */
export function useStale(queryKey: QueryKey): () => Promise<void> {
  const client = useQueryClient();
  const hash = hashKey(queryKey);
  // Keyed on the hash: callers build the key afresh each render.
  return useMemo(() => () => client.invalidateQueries({ queryKey }), [client, hash]);
}
