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
  'tag_created',
  'tag_updated',
  'export',
] as const;
export type AuditAction = (typeof auditActions)[number];

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
