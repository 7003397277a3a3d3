import { useEffect, useRef } from 'react';
import type { ReviewView } from '../../../shared/domain/review';
import { verifySession, type VerifyResult } from '../../api/lifecycle';
import { fetchReview } from '../../api/review';
import { useLoad, type LoadState } from '../../components/useLoad';

export interface SessionRecord {
  review: ReviewView;
  verify: VerifyResult;
}

/**
 * The session's signed record (signatures, returns, addenda) and the note's current digest.
 * Loaded again when `refreshKey` changes and, with `pollMs`, every so often: a co-therapist's
 * signature does not reach this page any other way until the note locks.
 */
export function useSessionRecord(
  sessionId: string,
  opts: { enabled: boolean; refreshKey: string; pollMs: number | null },
): { state: LoadState<SessionRecord | null>; reload(): void } {
  const { enabled, refreshKey, pollMs } = opts;
  const load = useLoad(async () => {
    if (!enabled) return null;
    const [review, verify] = await Promise.all([fetchReview(sessionId), verifySession(sessionId)]);
    return { review, verify };
  }, [sessionId, enabled]);
  const { reload } = load;
  // A reload, not new deps: what is on screen stays there until the new answer arrives.
  const firstKey = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey !== firstKey.current) reload();
  }, [refreshKey, reload]);
  useEffect(() => {
    if (pollMs === null || !enabled) return;
    const timer = setInterval(reload, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, enabled, reload]);
  return load;
}
