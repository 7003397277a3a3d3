import { z } from 'zod';
import { memberRoleSchema, type MemberRole } from './roles';
import type { AccountChange } from './signerChange';

export const sessionKindSchema = z.enum(['individual', 'couple', 'family', 'group']);
export type SessionKind = z.infer<typeof sessionKindSchema>;

/** Lifecycle of a therapy session's note. */
export const sessionStatusSchema = z.enum(['scheduled', 'live', 'ended', 'signed', 'reviewed']);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const createSessionBodySchema = z
  .object({
    title: z.string().trim().min(1).max(200),
    kind: sessionKindSchema,
    scheduledAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Why an admin changes a session's members (required of admins, audited). */
const reason = z.string().trim().min(3).max(500);

export const addMemberBodySchema = z
  .object({ userId: z.uuid(), role: memberRoleSchema, reason: reason.optional() })
  .strict();
export const removeMemberBodySchema = z.object({ reason: reason.optional() }).strict();

export interface MemberView {
  userId: string;
  name: string;
  email: string;
  role: MemberRole;
  color: string;
  addedAt: string;
  /** Why the session's therapists cannot remove this member (the server's refusal), or null; told to therapists only. */
  notRemovable: string | null;
  /**
   * Whether the account may act in this role now: active, with an account role that fits. A
   * therapist made an admin (or deactivated) stays a member, for who wrote what, but cannot sign,
   * so signing does not wait for them.
   */
  holdsRole: boolean;
  /** When it does not (`holdsRole` false): what changed about the account, for the sign panel to say why (null: it does). */
  accountChange: AccountChange | null;
}

/**
 * A session an account is a member of, as the clinic admin reads it to change that account's
 * memberships (`GET /api/users/:id/sessions`): no note content, the title only.
 */
export interface AccountSessionView {
  id: string;
  title: string;
  kind: SessionKind;
  status: SessionStatus;
  /** As `SessionView.date`: planned, else started, else created (ISO 8601). */
  date: string;
  /** The account's role in this session. */
  role: MemberRole;
  /** For a member note: the group session it was derived from (removing the account from that session removes it from this note while unsigned). */
  groupSessionId: string | null;
  /** Why an admin cannot remove the account here (the server's refusal, e.g. the last therapist), or null. */
  notRemovable: string | null;
}

export interface SessionView {
  id: string;
  title: string;
  kind: SessionKind;
  status: SessionStatus;
  scheduledAt: string | null;
  /** The session's date: when it was planned, else when it started, else when it was created. */
  date: string;
  createdAt: string;
  createdBy: string;
  /** When the session clock started (server time); observation offsets count from here. */
  startedAt: string | null;
  endedAt: string | null;
  /** Pseudonymous labels of the clients in the room, for observations to name. */
  groupMembers: string[];
  /** For an individual member note: the group session it was derived from (null for any other session). */
  groupSessionId: string | null;
  /** For a session's process notes (not part of the record): the session they belong to (null otherwise). */
  processNoteOf: string | null;
  /** The caller's role in this session (admins who are not members see null). */
  myRole: MemberRole | null;
  members: MemberView[];
}
