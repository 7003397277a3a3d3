import type { SessionView } from '../../../shared/domain/session';
import type { Access } from '../../collab/useCollabDoc';

/**
 * What this person may do with the note as far as the session record tells. Only a first guess:
 * the server's access notice on connect is the authority and replaces it.
 */
export function accessFromSession(session: SessionView): Access {
  if (session.status === 'signed' || session.status === 'reviewed') {
    return { canWrite: false, role: session.myRole, reason: 'The note is signed and can no longer be changed.' };
  }
  if (session.myRole === 'therapist') return { canWrite: true, role: 'therapist', reason: null };
  if (session.myRole === 'supervisor') {
    return { canWrite: false, role: 'supervisor', reason: 'Supervisors follow the session live; only its therapists write the note.' };
  }
  return { canWrite: false, role: null, reason: 'You are not a member of this session.' };
}
