import type { NoteAccessView } from '../../shared/domain/audit';
import type { SessionKind, SessionView } from '../../shared/domain/session';
import type { NoteFormat } from '../../shared/domain/templates';
import type { MemberRole } from '../../shared/domain/roles';
import { apiRequest } from './http';

export function fetchSession(id: string): Promise<SessionView> {
  return apiRequest<SessionView>('GET', `/api/sessions/${encodeURIComponent(id)}`);
}

export interface NewSession {
  title: string;
  kind: SessionKind;
  /** ISO date-time with offset; omitted when the session has no planned time. */
  scheduledAt?: string;
  /** The note's layout for a session with one client or a couple (SOAP, DAP or BIRP). */
  format?: NoteFormat;
  /** A group session this one follows: it starts with that group's member labels and team. */
  continues?: string;
}

export async function createSession(body: NewSession): Promise<string> {
  const res = await apiRequest<{ id: string }>('POST', '/api/sessions', body);
  return res.id;
}

export async function addMember(sessionId: string, userId: string, role: MemberRole): Promise<void> {
  await apiRequest<unknown>('POST', `/api/sessions/${encodeURIComponent(sessionId)}/members`, { userId, role });
}

/** Removes a member; an admin (not bound by the therapists' rules) gives a `reason`, kept in the audit log. */
export function removeMember(sessionId: string, userId: string, reason?: string): Promise<void> {
  return apiRequest<void>(
    'DELETE',
    `/api/sessions/${encodeURIComponent(sessionId)}/members/${encodeURIComponent(userId)}`,
    reason === undefined ? undefined : { reason },
  );
}

/** Who has been sent this note's content, from the audit log. */
export function fetchNoteAccess(sessionId: string): Promise<NoteAccessView[]> {
  // Asked again every 30 s while the panel is shown: not use of the login.
  return apiRequest<NoteAccessView[]>('GET', `/api/sessions/${encodeURIComponent(sessionId)}/access`, undefined, { background: true });
}
