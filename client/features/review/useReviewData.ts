import type { ReviewView } from '../../../shared/domain/review';
import type { SessionView } from '../../../shared/domain/session';
import { verifySession, type VerifyResult } from '../../api/lifecycle';
import { fetchReview, fetchTimeline, type Timeline } from '../../api/review';
import { fetchSession } from '../../api/sessions';
import { useLoad } from '../../components/useLoad';

export interface ReviewData {
  session: SessionView;
  review: ReviewView;
  verify: VerifyResult;
  timeline: Timeline;
}

/** Everything the review page shows, loaded together; `reload` keeps it on screen meanwhile. */
export function useReviewData(sessionId: string) {
  return useLoad<ReviewData>(async () => {
    const [session, review, verify, timeline] = await Promise.all([
      fetchSession(sessionId),
      fetchReview(sessionId),
      verifySession(sessionId),
      fetchTimeline(sessionId),
    ]);
    return { session, review, verify, timeline };
  }, [sessionId]);
}
