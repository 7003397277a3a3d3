import { useQuery } from '@tanstack/react-query';
import type { ReviewView } from '../../../shared/domain/review';
import type { SessionView } from '../../../shared/domain/session';
import { verifySession, type VerifyResult } from '../../api/lifecycle';
import { fetchReview, fetchTimeline, type Timeline } from '../../api/review';
import { fetchSession } from '../../api/sessions';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';

export interface ReviewData {
  session: SessionView;
  review: ReviewView;
  verify: VerifyResult;
  timeline: Timeline;
}

/**
 * Everything the review page shows, read together; `reload` keeps it on screen meanwhile. A live
 * event about the session (a signature, co-signature, return or comment by someone else) makes it
 * stale (query/liveInvalidation.ts).
 */
export function useReviewData(sessionId: string) {
  const query = useQuery({
    queryKey: keys.session(sessionId, 'review'),
    queryFn: async (): Promise<ReviewData> => {
      const [session, review, verify, timeline] = await Promise.all([
        fetchSession(sessionId),
        fetchReview(sessionId),
        verifySession(sessionId),
        fetchTimeline(sessionId),
      ]);
      return { session, review, verify, timeline };
    },
  });
  return { state: loadStateOf(query), reload: useStale(keys.session(sessionId, 'review')) };
}
