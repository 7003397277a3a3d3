import type { MemberRole } from './roles';

/** Audited actions. Stable strings: they are stored and filtered on. */
export const auditActions = [
  'setup',
  'login',
  'login_failed',
  'logout',
  'password_changed',
  'account_created',
  'account_updated',
  'session_created',
  'session_opened',
  'session_left',
  'member_added',
  'member_removed',
  'session_started',
  'session_ended',
  'session_signed',
  'session_cosigned',
  'session_returned',
  'addendum_added',
  'comment_added',
  'comment_edited',
  'comment_deleted',
  'group_members_changed',
  'tag_created',
  'tag_updated',
  'note_read',
  'export',
  'logins_ended',
  'login_throttle_cleared',
  'debrief_read',
  'debrief_saved',
  'blind_mode_set',
  'blind_reveal_requested',
  'blind_revealed',
  'thread_resolved',
  'thread_reopened',
  'supervision_note_added',
  'supervision_notes_read',
  'competency_created',
  'competency_updated',
  'trend_read',
  'audit_read',
  'audit_exported',
  'access_refused',
  'attendance_changed',
  'member_notes_derived',
  'process_note_created',
  'process_note_share_asked',
  'process_note_shared',
  'process_note_retention_asked',
  'process_note_retention_changed',
  'process_note_removal_asked',
  'process_note_removal_withdrawn',
  'process_note_removed',
  'process_note_refused',
  'write_refused',
] as const;
export type AuditAction = (typeof auditActions)[number];

/**
 * How someone saw a note's content, as the access list names it: `live` is a websocket opened on
 * the note (the whole document is sent), the others are HTTP reads (`export` is the Markdown file;
 * `sign_check` is a group note's words about one member sent to a signer of that member's note).
 */
export type NoteReadWay = 'live' | 'record' | 'review' | 'replay' | 'timeline' | 'comments' | 'export' | 'concordance' | 'private' | 'queue' | 'sign_check';

/** The audited actions that sent some of a note's content to someone. */
export const noteReadActions = ['session_opened', 'note_read', 'export'] as const satisfies readonly AuditAction[];

/** One person who has read a session's note, from the audit log (`GET /api/sessions/:id/access`). */
export interface NoteAccessView {
  accountId: string;
  name: string;
  /** Their role in the session now; null when they are no longer a member. */
  role: MemberRole | null;
  /** How many audited reads. */
  reads: number;
  firstAt: string;
  lastAt: string;
  ways: NoteReadWay[];
}

export interface AuditEntryView {
  id: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: AuditAction;
  sessionId: string | null;
  /** Non-clinical detail only (ids, roles, addresses); never note content. */
  detail: Record<string, unknown>;
}
