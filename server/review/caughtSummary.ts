import type { CaughtSummary, ReviewObservation } from '../../shared/domain/review';

/** What one therapist caught, flagged and answered among a session's observations (the review's "who caught what"). */
export function caught(accountId: string, observations: ReviewObservation[], name: string): CaughtSummary {
  const mine = observations.filter((o) => o.authorId === accountId);
  const flagged = mine.filter((o) => o.forCoTherapist);
  const forMe = observations.filter((o) => o.forCoTherapist && o.authorId !== accountId);
  const byTag: Record<string, number> = {};
  for (const o of mine) for (const t of o.tags) byTag[t.name] = (byTag[t.name] ?? 0) + 1;
  return {
    accountId,
    name,
    made: mine.length,
    flaggedForOther: flagged.length,
    acknowledgedByOther: flagged.filter((o) => o.response?.answer === 'acknowledged').length,
    disputedByOther: flagged.filter((o) => o.response?.answer === 'disputed').length,
    acknowledgedOwnMiss: forMe.filter((o) => o.response?.answer === 'acknowledged' && o.response.by === accountId).length,
    unanswered: flagged.filter((o) => o.response === null).length,
    byTag,
  };
}
