import { useQuery } from '@tanstack/react-query';
import type { ReviewView } from '../../../shared/domain/review';
import type { SessionView } from '../../../shared/domain/session';
import { verifySession, type VerifyResult } from '../../api/lifecycle';
import { queryKeys } from '../../api/queryKeys';
import { fetchReview, fetchTimeline, type Timeline } from '../../api/review';
import { fetchSession } from '../../api/sessions';

export interface ReviewData {
  session: SessionView;
  review: ReviewView;
  verify: VerifyResult;
  timeline: Timeline;
}

/** Everything the review page shows, loaded together; a refetch keeps it on screen meanwhile. */
export function useReviewData(sessionId: string) {
  return useQuery({
    queryKey: queryKeys.review(sessionId),
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
}
