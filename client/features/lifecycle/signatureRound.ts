import type { ReviewView } from '../../../shared/domain/review';
import type { SessionView } from '../../../shared/domain/session';
import type { SessionRecord } from './useSessionRecord';

export type SignatureState = { kind: 'none' } | { kind: 'current'; at: string } | { kind: 'stale'; at: string };

/**
 * Where each therapist stands: signatures count from the last time the supervisor returned the
 * note, and only for the content as it stands now (`currentDigest`) and the attendance and member
 * labels as they stand (`recordChangedAt`).
 */
export function signatureStates(review: ReviewView, therapistIds: string[], currentDigest: string): Map<string, SignatureState> {
  const lastReturn = Math.max(0, ...review.returns.map((r) => Date.parse(r.at)));
  const round = review.signatures.filter((s) => s.kind === 'signed' && Date.parse(s.at) > lastReturn);
  // Attendance or member labels changed since: the signature stands for a record that no longer does.
  const changed = review.recordChangedAt === null ? 0 : Date.parse(review.recordChangedAt);
  return new Map<string, SignatureState>(
    therapistIds.map((id): [string, SignatureState] => {
      const mine = round.filter((s) => s.by === id).at(-1);
      if (!mine) return [id, { kind: 'none' }];
      return [id, mine.digest === currentDigest && Date.parse(mine.at) > changed ? { kind: 'current', at: mine.at } : { kind: 'stale', at: mine.at }];
    }),
  );
}

/**
 * The therapists whose signature the note waits for: those who may sign now (`holdsRole`), as the
 * server's sign rule counts them (a therapist made an admin is not waited for).
 */
export function awaitedSigners(session: SessionView): SessionView['members'] {
  return session.members.filter((m) => m.role === 'therapist' && m.holdsRole);
}

/**
 * Where each therapist the note waits for stands against the note as this page holds it
 * (`noteDigest`, from useNoteDigest: it follows every edit), or, until that is known, as the
 * server last said.
 */
export function signaturesNow(session: SessionView, record: SessionRecord, noteDigest: string | undefined): Map<string, SignatureState> {
  const therapists = awaitedSigners(session).map((m) => m.userId);
  return signatureStates(record.review, therapists, noteDigest ?? record.verify.digest);
}
