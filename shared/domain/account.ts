import { z } from 'zod';
import { accountRoleSchema } from './roles';

const email = z.email().max(254).transform((s) => s.toLowerCase());
const name = z.string().trim().min(1).max(100);
/** 10 characters minimum: long enough to resist guessing once scrypt slows every try. */
const password = z.string().min(10).max(200);

export const setupBodySchema = z.object({ email, name, password }).strict();
export const loginBodySchema = z.object({ email, password: z.string().min(1).max(200) }).strict();
export const createUserBodySchema = z
  .object({ email, name, password, role: accountRoleSchema })
  .strict();
export const updateUserBodySchema = z
  .object({ active: z.boolean().optional(), role: accountRoleSchema.optional(), name: name.optional() })
  .strict();
export const changePasswordBodySchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: password })
  .strict();

/** An account as the API shows it (never the password hash). */
export interface AccountView {
  id: string;
  email: string;
  name: string;
  role: z.infer<typeof accountRoleSchema>;
  active: boolean;
  /** Stable presence colour, derived from the id so it is the same on every device. */
  color: string;
  createdAt: string;
}
