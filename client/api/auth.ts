import type { AccountView } from '../../shared/domain/account';
import { apiRequest } from './http';

/** Whether the clinic still needs its first (admin) account. */
export async function fetchSetupNeeded(): Promise<boolean> {
  const res = await apiRequest<{ needed: boolean }>('GET', '/api/setup');
  return res.needed;
}

/** Creates the first account and logs it in. */
export async function createFirstAccount(body: { email: string; name: string; password: string }): Promise<AccountView> {
  const res = await apiRequest<{ user: AccountView }>('POST', '/api/setup', body);
  return res.user;
}

export async function login(body: { email: string; password: string }): Promise<AccountView> {
  const res = await apiRequest<{ user: AccountView }>('POST', '/api/auth/login', body);
  return res.user;
}

export function logout(): Promise<void> {
  return apiRequest<void>('POST', '/api/auth/logout');
}

export function fetchMe(): Promise<AccountView> {
  return apiRequest<AccountView>('GET', '/api/me');
}

export function changePassword(body: { currentPassword: string; newPassword: string }): Promise<void> {
  return apiRequest<void>('POST', '/api/me/password', body);
}
