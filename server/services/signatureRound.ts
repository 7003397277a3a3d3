import type { SessionEventRecord } from '../persistence/ports';

/**
 * Signatures of the current round: those after the last time the note was returned for revision.
 * A pure reading of the events, apart from the lifecycle's steps, so the review model (read on the
 * note-reading thread) can count them too.
 */
export function currentRound(events: SessionEventRecord[]): SessionEventRecord[] {
  const lastReturn = events.map((e) => e.kind).lastIndexOf('returned');
  return events.slice(lastReturn + 1).filter((e) => e.kind === 'signed');
}
