import type { RiskGap } from '../../shared/domain/risk';
import type { SessionStatus } from '../../shared/domain/session';
import { apiRequest } from './http';

const base = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export type Attendance = 'present' | 'absent' | 'late';

/** A group member with their attendance and, once derived, their individual note. */
export interface MemberNoteEntry {
  member: string;
  attendance: Attendance;
  /** Whether a therapist recorded it (unrecorded reads `present`). */
  recorded: boolean;
  noteSessionId: string | null;
  status: SessionStatus | null;
}

export function fetchMemberNotes(id: string): Promise<{ members: MemberNoteEntry[]; groupSessionId: string | null }> {
  return apiRequest('GET', `${base(id)}/member-notes`);
}

export function setAttendance(id: string, attendance: Record<string, Attendance>): Promise<{ members: MemberNoteEntry[] }> {
  return apiRequest('PUT', `${base(id)}/attendance`, { attendance });
}

export function deriveMemberNotes(id: string): Promise<{ created: number; members: MemberNoteEntry[] }> {
  return apiRequest('POST', `${base(id)}/member-notes`);
}

/**
 * What signing still waits for (members tagged risk/safety whose record is incomplete), and for a
 * member note the words its group note now says for its member that it lacks (`groupChanges`).
 */
export function fetchSignCheck(id: string): Promise<{ riskGaps: RiskGap[]; groupChanges: string[] }> {
  // Asked again and again while the note awaits signatures: not use of the login.
  return apiRequest('GET', `${base(id)}/sign-check`, undefined, { background: true });
}

/** The sessions of a recurring group (those the caller is a member of), oldest first, each with its members' notes. */
export interface GroupHistory {
  groupId: string | null;
  sessions: { id: string; title: string; status: SessionStatus; startedAt: string | null; members: MemberNoteEntry[] }[];
}

export function fetchGroupHistory(id: string): Promise<GroupHistory> {
  return apiRequest('GET', `${base(id)}/group-history`);
}
