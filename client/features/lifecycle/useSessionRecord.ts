import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { ReviewView } from '../../../shared/domain/review';
import { verifySession, type VerifyResult } from '../../api/lifecycle';
import { fetchReview } from '../../api/review';
import { keys } from '../../query/keys';
import { loadStateOf, type LoadState } from '../../query/loadState';
import { useStale } from '../../query/useStale';

const BACKGROUND = { background: true } as const;

export interface SessionRecord {
  review: ReviewView;
  verify: VerifyResult;
}

/**
 * The session's signed record (signatures, returns, addenda) and the note's current digest, read
 * only while `enabled` (after the session). Read again when `refreshKey` changes and, with
 * `pollMs`, every so often: a co-therapist's signature does not reach this page any other way
 * until the note locks.
 */
export function useSessionRecord(
  sessionId: string,
  opts: { enabled: boolean; refreshKey: string; pollMs: number | null },
): { state: LoadState<SessionRecord>; reload(): Promise<void> } {
  const { enabled, refreshKey, pollMs } = opts;
  const query = useQuery({
    queryKey: keys.session(sessionId, 'record'),
    // The page's own reads (every `pollMs`, and on a change it was told of): not use of the login,
    // or a note page left open awaiting a signature would keep it (attack, 6 Dec).
    queryFn: async (): Promise<SessionRecord> => {
      const [review, verify] = await Promise.all([fetchReview(sessionId, true, BACKGROUND), verifySession(sessionId, BACKGROUND)]);
      return { review, verify };
    },
    enabled,
    refetchInterval: pollMs ?? false,
  });
  const reload = useStale(keys.session(sessionId, 'record'));
  // Read again under the same key, not a new one: what is on screen stays until the new answer.
  const firstKey = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey !== firstKey.current) void reload();
  }, [refreshKey, reload]);
  return { state: loadStateOf(query), reload };
}
