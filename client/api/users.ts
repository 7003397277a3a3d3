import type { AccountView } from '../../shared/domain/account';
import type { AccountRole } from '../../shared/domain/roles';
import type { AccountSessionView } from '../../shared/domain/session';
import type { LoginThrottleView } from '../../shared/domain/throttle';
import { apiRequest } from './http';

/** Admins get every account; clinicians get the active clinicians and supervisors they can invite. */
export function fetchUsers(): Promise<AccountView[]> {
  return apiRequest<AccountView[]>('GET', '/api/users');
}

export interface NewUser {
  email: string;
  name: string;
  password: string;
  role: AccountRole;
}

export async function createUser(body: NewUser): Promise<string> {
  const res = await apiRequest<{ id: string }>('POST', '/api/users', body);
  return res.id;
}

export function updateUser(
  id: string,
  patch: { active?: boolean; role?: AccountRole; name?: string },
): Promise<AccountView> {
  return apiRequest<AccountView>('PATCH', `/api/users/${encodeURIComponent(id)}`, patch);
}

/** Ends every login of the account (its open notes close); returns how many ended. */
export async function endLogins(id: string): Promise<number> {
  return (await apiRequest<{ ended: number }>('DELETE', `/api/users/${encodeURIComponent(id)}/logins`)).ended;
}

/** The sessions an account is a member of (admin), newest first. */
export function fetchAccountSessions(id: string): Promise<AccountSessionView[]> {
  return apiRequest<AccountSessionView[]>('GET', `/api/users/${encodeURIComponent(id)}/sessions`);
}

export function fetchLoginThrottles(): Promise<LoginThrottleView[]> {
  return apiRequest<LoginThrottleView[]>('GET', '/api/login-throttles');
}

export function clearLoginThrottle(id: string): Promise<void> {
  return apiRequest<void>('DELETE', `/api/login-throttles/${encodeURIComponent(id)}`);
}
