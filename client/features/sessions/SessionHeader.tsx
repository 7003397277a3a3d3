import type { ReactNode } from 'react';
import type { SessionView } from '../../../shared/domain/session';
import type { Person } from '../../collab/presence';
import type { ExternalStore, SaveView } from '../../collab/useCollabDoc';
import { formatDateTime, kindLabel, statusLabel } from '../../format';
import { Link } from '../../router';
import { PresenceList } from './PresenceList';
import { SaveStateBadge } from './SaveStateBadge';
import { sessionParts } from '../../../shared/domain/sessionParts';

interface SessionHeaderProps {
  session: SessionView;
  saveState: ExternalStore<SaveView>;
  people: Person[];
  /** The session clock (with Start / End for therapists). */
  clock: ReactNode;
  /** The quiet "flags for you" counter (therapists only). */
  flags?: ReactNode;
}

export function SessionHeader({ session, saveState, people, clock, flags }: SessionHeaderProps) {
  return (
    <header className="session-header">
      <div className="session-header__main">
        <Link to="/" className="session-header__back">
          ← Sessions
        </Link>
        <h1 className="session-header__title" data-testid="session-title">
          {session.title}
        </h1>
        <p className="session-header__meta">
          {/* Process notes are not a record: no kind, status or review of their own. */}
          {session.processNoteOf ? (
            <span>Process notes</span>
          ) : (
            <>
              <span>{kindLabel[session.kind]}</span>
              {/* A live region: a screen reader hears the co-therapist start or end the session (walk, 3 Dec). */}
              <span className={`status status--${session.status}`} data-testid="session-status" role="status">
                {statusLabel[session.status]}
              </span>
              {session.scheduledAt && <span>{formatDateTime(session.scheduledAt)}</span>}
              <Link to={`/sessions/${session.id}/review`} data-testid="review-link">
                Review
              </Link>
              {sessionParts(session).pairLearning && (
                <Link to={`/sessions/${session.id}/debrief`} data-testid="debrief-link">
                  Huddle and debrief
                </Link>
              )}
            </>
          )}
        </p>
        {clock}
      </div>
      <div className="session-header__live">
        {flags}
        <PresenceList people={people} />
        <SaveStateBadge saveState={saveState} />
      </div>
    </header>
  );
}
