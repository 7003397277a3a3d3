import type { AccountView } from '../../shared/domain/account';
import type { AccountRole } from '../../shared/domain/roles';
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
