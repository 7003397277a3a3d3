import type { AccountRole, MemberRole } from '../../shared/domain/roles';

/** What someone may do to a session. The one place roles are interpreted. */
export type SessionAction = 'read' | 'edit' | 'manageMembers' | 'sign' | 'review' | 'comment';

export interface Actor {
  role: AccountRole;
  active: boolean;
}

/**
 * A membership grants only while the account's role fits it (memberRoleFits): an admin changes an
 * account's role without touching its memberships, which keep who wrote what. Before (attack,
 * 6 Dec) a therapist made an admin kept reading the note, live and over HTTP, and a supervisor made
 * a clinician kept commenting as the session's supervisor.
 */
export function can(actor: Actor, action: SessionAction, membership: MemberRole | null): boolean {
  if (!actor.active || membership === null || !memberRoleFits(actor.role, membership)) return false;
  switch (action) {
    case 'read':
      return true;
    case 'comment':
      return true;
    case 'edit':
    case 'manageMembers':
    case 'sign':
      return membership === 'therapist' && actor.role === 'clinician';
    case 'review':
      return membership === 'supervisor' && actor.role === 'supervisor';
  }
}

/**
 * Whether the actor may change a session's members without being one of its therapists, overriding
 * the membership rules (services/membership.ts) with an audited reason: the clinic's admin.
 */
export function canOverrideMembership(actor: Actor): boolean {
  return actor.active && actor.role === 'admin';
}

/** Which member role an account may hold: clinicians treat, supervisors supervise. */
export function memberRoleFits(accountRole: AccountRole, memberRole: MemberRole): boolean {
  return (accountRole === 'clinician' && memberRole === 'therapist') || (accountRole === 'supervisor' && memberRole === 'supervisor');
}
