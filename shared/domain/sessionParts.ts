import type { SessionView } from './session';

/**
 * What a session's page shows, and so asks the server for, by what the session is: a note of the
 * record (a group, a couple, a family, one client), one member's note derived from a group note,
 * or a session's process notes. Each part was once judged where it was drawn, and the judgements
 * drifted apart: the process notes' page asked `/blind` and `/sign-check`, answered 404 for them,
 * and a member note offered process notes, which are the group session's (walk, 6 Dec). The server
 * refuses a member note's request for a part it does not have (server/services/sessionParts.ts).
 */
export interface SessionParts {
  /** Blind mode and its reveal: chosen before a session starts, so never a member note's or process notes'. */
  blind: boolean;
  /** What signing waits for (`/sign-check`): only a note that is signed. */
  signCheck: boolean;
  /** Observations, flags and the tag palette: the record's, not process notes'. */
  observations: boolean;
  /** Supervisor comments: the record's. */
  comments: boolean;
  /** The session's own process notes: a session's therapists keep them, not one member's note (its group session's pair does) nor process notes. */
  processNotes: boolean;
  /** The members list: who may open process notes follows their session and its sharing, never this list. */
  members: boolean;
  /** The session clock: a member note has its group session's, process notes none. */
  clock: boolean;
  /**
   * The pair's huddle, debrief and concordance: the group session's, not one member's note (it
   * offered "Plan for the session" and an empty "Where you agreed" for "… — M2": walk, 7 Dec) nor
   * process notes.
   */
  pairLearning: boolean;
}

export function sessionParts(session: Pick<SessionView, 'processNoteOf' | 'groupSessionId'>): SessionParts {
  const isProcess = session.processNoteOf !== null;
  const isMemberNote = session.groupSessionId !== null;
  const ownSession = !isProcess && !isMemberNote;
  return {
    blind: ownSession,
    signCheck: !isProcess,
    observations: !isProcess,
    comments: !isProcess,
    processNotes: ownSession,
    members: !isProcess,
    clock: ownSession,
    pairLearning: ownSession,
  };
}
