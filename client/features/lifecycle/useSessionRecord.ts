import { useQuery } from '@tanstack/react-query';
import type { ReviewView } from '../../../shared/domain/review';
import { verifySession, type VerifyResult } from '../../api/lifecycle';
import { queryKeys } from '../../api/queryKeys';
import { fetchReview } from '../../api/review';

export interface SessionRecord {
  review: ReviewView;
  verify: VerifyResult;
}

/**
 * The session's signed record (signatures, returns, addenda) and the note's current digest, read
 * again whenever the session's queries are invalidated and, with `pollMs`, every so often: a
 * co-therapist's signature does not reach this page any other way until the note locks.
 */
export function useSessionRecord(sessionId: string, opts: { enabled: boolean; pollMs: number | null }) {
  return useQuery({
    queryKey: queryKeys.record(sessionId),
    queryFn: async (): Promise<SessionRecord> => {
      const [review, verify] = await Promise.all([fetchReview(sessionId), verifySession(sessionId)]);
      return { review, verify };
    },
    enabled: opts.enabled,
    refetchInterval: opts.pollMs ?? false,
  });
}
