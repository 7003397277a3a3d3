/**
 * What each live event makes stale. The stream carries ids only (api/liveEvents.ts); the pages
 * showing what changed read it again through their queries.
 */
import type { Query, QueryClient } from '@tanstack/react-query';
import type { LiveEvent } from '../../shared/domain/supervisor';
import { keys, type SessionPart } from './keys';

/**
 * A live event, or `opened`: the stream connected (at first, or again after a break). What was
 * sent while it was not connected is lost, so anything live may have changed.
 */
export type StreamEvent = LiveEvent | { type: 'opened' };

/** The parts of a session that live events tell of: comments and their threads, members, the record, the process notes. */
const LIVE_PARTS: ReadonlySet<SessionPart> = new Set(['comments', 'threads', 'memberNotes', 'review', 'record', 'processNote']);

const isLivePart = (query: Query) => query.queryKey[0] === 'session' && LIVE_PARTS.has(query.queryKey[2] as SessionPart);

export function invalidateForLiveEvent(client: QueryClient, event: StreamEvent): void {
  const stale = (queryKey: readonly unknown[]) => void client.invalidateQueries({ queryKey });
  switch (event.type) {
    case 'opened':
      // A page read what it shows before its stream was open (or while it was broken): a change
      // made meanwhile was told to no stream of ours.
      stale(keys.notices);
      stale(['queue']);
      stale(['sessions']);
      stale(keys.tags);
      void client.invalidateQueries({ predicate: isLivePart });
      return;
    case 'notices':
      stale(keys.notices);
      return;
    case 'codebook':
      stale(keys.tags);
      return;
    case 'comments':
      stale(keys.session(event.sessionId, 'comments'));
      stale(keys.session(event.sessionId, 'threads'));
      // The review page reads its comments with the review.
      stale(keys.session(event.sessionId, 'review'));
      stale(['queue']);
      return;
    case 'session':
      // Members, attendance, a signature, a co-signature, a return or an addendum by someone else.
      stale(keys.session(event.sessionId, 'view'));
      stale(keys.session(event.sessionId, 'memberNotes'));
      stale(keys.session(event.sessionId, 'review'));
      // The session page's signatures and addenda (a walk saw the co-therapist's signature there only 10 s later).
      stale(keys.session(event.sessionId, 'record'));
      // The process notes' asks and answers (a walk saw a removal asked and done, unseen by the co-keeper's page).
      stale(keys.session(event.sessionId, 'processNote'));
      stale(['queue']);
      // The home page's sessions: live now, or no longer (a start or an end).
      stale(['sessions']);
      // A notice that asked for a signature or a co-signature says where the note stands now
      // (a walk saw "waits for your co-signature" after the co-signature).
      stale(keys.notices);
      return;
  }
}
