import type { AccountRole, MemberRole } from '../../shared/domain/roles';

/** What someone may do to a session. The one place roles are interpreted. */
export type SessionAction = 'read' | 'edit' | 'manageMembers';

export interface Actor {
  role: AccountRole;
  active: boolean;
}

export function can(actor: Actor, action: SessionAction, membership: MemberRole | null): boolean {
  if (!actor.active || membership === null) return false;
  switch (action) {
    case 'read':
      return true;
    case 'edit':
    case 'manageMembers':
      return membership === 'therapist' && actor.role === 'clinician';
  }
}

/** Which member role an account may hold: clinicians treat, supervisors supervise. */
export function memberRoleFits(accountRole: AccountRole, memberRole: MemberRole): boolean {
  return (accountRole === 'clinician' && memberRole === 'therapist') || (accountRole === 'supervisor' && memberRole === 'supervisor');
}
