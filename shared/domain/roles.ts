import { z } from 'zod';

/** An account's clinic-wide role. */
export const accountRoleSchema = z.enum(['admin', 'clinician', 'supervisor']);
export type AccountRole = z.infer<typeof accountRoleSchema>;

/** A member's role within one therapy session: therapists edit, supervisors read. */
export const memberRoleSchema = z.enum(['therapist', 'supervisor']);
export type MemberRole = z.infer<typeof memberRoleSchema>;
