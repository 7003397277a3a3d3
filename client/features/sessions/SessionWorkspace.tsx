import { useMemo } from 'react';
import type { SessionView } from '../../../shared/domain/session';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { usePresence } from '../../collab/presence';
import { useCollabDoc } from '../../collab/useCollabDoc';
import { SessionEditor } from '../../editor/SessionEditor';
import { MembersPanel } from './MembersPanel';
import { ConnectionNotices } from './ConnectionNotices';
import { SessionHeader } from './SessionHeader';
import { accessFromSession } from './sessionAccess';
import { useLeaveOnEnd } from './useLeaveOnEnd';

interface SessionWorkspaceProps {
  session: SessionView;
  onSessionChanged(): void;
}

/** The live session: header with presence and save state, the note, and its members. */
export function SessionWorkspace({ session, onSessionChanged }: SessionWorkspaceProps) {
  const user = useCurrentUser();
  // Keyed on the id alone: reloading the member list must not reconnect the note.
  const initialAccess = useMemo(() => accessFromSession(session), [session.id]);
  const { status, dismissRefusal } = useCollabDoc({ sessionId: session.id, account: user, initialAccess });
  const people = usePresence(status.kind === 'ready' ? status.provider.awareness : null, session.members);
  const caretUser = useMemo(() => ({ name: user.name, color: user.color }), [user.name, user.color]);
  useLeaveOnEnd(status);

  return (
    <div className="session">
      <SessionHeader session={session} status={status} people={people} />
      <ConnectionNotices status={status} onDismissRefusal={dismissRefusal} />
      <div className="session__body">
        <section className="session__note" aria-label="Note">
          {status.kind === 'ready' ? (
            <SessionEditor doc={status.doc} provider={status.provider} user={caretUser} canWrite={status.access.canWrite} />
          ) : (
            <p className="page-state" aria-busy={status.kind === 'loading'}>
              {status.kind === 'loading' ? 'Opening the note…' : 'The connection to this note was closed.'}
            </p>
          )}
        </section>
        <aside className="session__aside">
          <MembersPanel session={session} onChanged={onSessionChanged} />
        </aside>
      </div>
    </div>
  );
}
