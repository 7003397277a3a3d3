import type { AuditAction } from './audit';

/** Each audited action as a privacy officer reads it. */
export const auditActionWords: Record<AuditAction, string> = {
  setup: 'set up the clinic',
  login: 'logged in',
  login_failed: 'failed to log in',
  logout: 'logged out',
  password_changed: 'changed a password',
  account_created: 'created an account',
  account_updated: 'changed an account',
  session_created: 'created a session',
  session_opened: 'opened the note',
  session_left: 'left the note',
  member_added: 'added a member',
  member_removed: 'removed a member',
  session_started: 'started the session clock',
  session_ended: 'ended the session',
  session_signed: 'signed the note',
  session_cosigned: 'co-signed the note',
  session_returned: 'returned the note for revision',
  addendum_added: 'added an addendum',
  comment_added: 'commented',
  comment_edited: 'edited a comment',
  comment_deleted: 'deleted a comment',
  group_members_changed: 'changed the group members',
  tag_created: 'created a tag',
  tag_updated: 'changed a tag',
  note_read: 'read the note',
  export: 'exported the note',
  logins_ended: 'ended logins',
  login_throttle_cleared: 'cleared a login throttle',
  thread_resolved: 'resolved a comment thread',
  thread_reopened: 'reopened a comment thread',
  supervision_note_added: 'wrote a supervision note',
  supervision_notes_read: 'read the supervision notes',
  competency_created: 'added a competency to the codebook',
  competency_updated: 'changed a competency',
  trend_read: 'looked at a pair’s trend across sessions',
  audit_read: 'read the audit log',
  audit_exported: 'exported the audit log',
  access_refused: 'was refused',
  debrief_read: 'read the huddle and debrief',
  debrief_saved: 'saved a huddle or debrief field',
  blind_mode_set: 'set blind mode',
  blind_reveal_requested: 'pressed Reveal',
  blind_revealed: 'revealed the blind observations',
  attendance_changed: 'changed the attendance',
  member_notes_derived: 'made the members’ individual notes',
  process_note_created: 'started process notes',
  process_note_share_asked: 'asked to share the process notes with the supervisor',
  process_note_shared: 'shared the process notes with the supervisor',
  process_note_retention_asked: 'asked to keep the process notes for less time',
  process_note_retention_changed: 'changed how long the process notes are kept',
  process_note_removal_asked: 'asked to remove the process notes',
  process_note_removal_withdrawn: 'withdrew their ask to remove the process notes',
  process_note_removed: 'removed the process notes',
  process_note_refused: 'was refused the process notes',
  write_refused: 'had a change to the note refused',
};

/** One row of the readable audit log (`GET /api/audit/log`): a visit is one row, opened to left. */
export interface AuditLogRow {
  id: number;
  at: string;
  /** Local time to the second with the zone: "2026-11-30 14:05:07 (Europe/Berlin, UTC+01:00)". */
  when: string;
  actorId: string | null;
  actorName: string | null;
  action: AuditAction;
  words: string;
  sessionId: string | null;
  sessionTitle: string | null;
  /** The detail in words, with people by name. */
  detail: string;
  /** For a folded visit: when they left (local time), or null while they are still there / it is not on this page. */
  leftAt: string | null;
}
