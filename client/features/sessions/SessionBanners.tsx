import type { SessionView } from '../../../shared/domain/session';
import { Link } from '../../router';

/** What kind of note this is when it is not the session's own: process notes, or one member's note. */
export function SessionBanners({ session }: { session: SessionView }) {
  return (
    <>
      {session.processNoteOf && (
        <p className="notice notice--info member-note-banner" data-testid="process-banner">
          <span>
            Process notes: not part of the record. Only this session’s therapists can open them, and the supervisor once they are shared; every opening is listed under “Who has read this note”.
          </span>
          <Link to={`/sessions/${session.processNoteOf}`}>Back to the session</Link>
        </p>
      )}
      {session.groupSessionId && (
        <p className="notice notice--info member-note-banner" data-testid="member-note-banner">
          <span>
            Derived from the group note. It names no other member; keep it that way.
          </span>
          <Link to={`/sessions/${session.groupSessionId}`}>Open the group note</Link>
        </p>
      )}
    </>
  );
}
