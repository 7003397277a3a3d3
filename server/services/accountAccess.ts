import type { AccountRole } from '../../shared/domain/roles';
import type { ServiceDeps } from './deps';
import { conflict } from '../domain/errors';
import type { AccountRecord } from '../persistence/ports';
import type { AccountPatch } from '../persistence/accountPorts';
import { audited } from '../audit/audited';
import type { Authenticated } from '../auth/logins';

/**
 * Stores an admin's (`actorId`) change of an account (`before`, as read) with its audit record, in
 * one unit of work: an unrecorded change is never made. Deactivating it ends its logins in the same
 * unit (ended after it, their failure answered 503 for a deactivation that stood: fault test,
 * 7 Dec) and closes its websockets with 4401, here and on every other process (see
 * accessRevocation.ts); a changed role has them reconnect under it. Returns the account as changed.
 */
export async function updateAccount(deps: Pick<ServiceDeps, 'store' | 'access'>, actorId: string, before: AccountRecord, patch: AccountPatch): Promise<AccountRecord> {
  const id = before.id;
  const deactivated = patch.active === false;
  await deps.store.commit([
    { kind: 'account', id, patch },
    ...(deactivated ? [{ kind: 'endLogins', accountId: id } as const] : []),
    audited({ actorId, action: 'account_updated', sessionId: null, detail: { accountId: id, changed: Object.keys(patch), ...(patch.role ? { role: patch.role } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}) } }),
  ]);
  if (deactivated) deps.access.accountLoginsEnded(id, 'account deactivated');
  else if (patch.role !== undefined && patch.role !== before.role) deps.access.accountRoleChanged(id);
  return { ...before, ...patch };
}

/**
 * An admin ends every login of an account (a lost laptop, a shared password), with the audit
 * record counting them, in one unit of work; its sockets close with 4401. Returns how many ended.
 */
export async function endLoginsByAdmin(deps: Pick<ServiceDeps, 'store' | 'access'>, actorId: string, accountId: string): Promise<number> {
  const [ended = 0] = await deps.store.commit([
    { kind: 'endLogins', accountId },
    { ...audited({ actorId, action: 'logins_ended', sessionId: null, detail: { accountId } }), countInto: 'count' },
  ]);
  deps.access.accountLoginsEnded(accountId, 'logins ended by an admin');
  return ended;
}

/** Creates an account with its audit record (`actorId` is the admin), in one unit of work. */
export async function createAccount(deps: Pick<ServiceDeps, 'store'>, actorId: string, account: AccountRecord): Promise<void> {
  await deps.store.commit([
    { kind: 'createAccount', account },
    audited({ actorId, action: 'account_created', sessionId: null, detail: { accountId: account.id, role: account.role } }),
  ]);
}

/** Ends the caller's own login, with its audit record in one unit of work, and closes its websockets. */
export async function logOut(deps: Pick<ServiceDeps, 'store' | 'access'>, auth: Authenticated): Promise<void> {
  await deps.store.commit([{ kind: 'endLogin', tokenHash: auth.loginId }, audited({ actorId: auth.account.id, action: 'logout', sessionId: null, detail: {} })]);
  deps.access.loginEnded(auth.loginId, 'logged out');
}

/**
 * Sets a new password hash and ends every other login of the account (whoever knew the old
 * password may be logged in elsewhere: only the login that changed it stays), with the audit
 * record counting them, in one unit of work.
 */
export async function changePassword(deps: Pick<ServiceDeps, 'store' | 'access'>, auth: Authenticated, passwordHash: string): Promise<void> {
  const accountId = auth.account.id;
  await deps.store.commit([
    { kind: 'account', id: accountId, patch: { passwordHash } },
    { kind: 'endLogins', accountId, exceptTokenHash: auth.loginId },
    { ...audited({ actorId: accountId, action: 'password_changed', sessionId: null, detail: {} }), countInto: 'otherLoginsEnded' },
  ]);
  deps.access.accountLoginsEnded(accountId, 'password changed', auth.loginId);
}

/**
 * Refuses an account change that would leave the clinic without an active admin (nobody could then
 * manage accounts or read the audit log): demoting or deactivating the last one.
 */
export async function assertKeepsAnAdmin(deps: Pick<ServiceDeps, 'store'>, before: AccountRecord, patch: { active?: boolean; role?: AccountRole }): Promise<void> {
  const staysAdmin = (patch.active ?? before.active) && (patch.role ?? before.role) === 'admin';
  if (!before.active || before.role !== 'admin' || staysAdmin) return;
  const others = (await deps.store.accounts.list()).filter((a) => a.id !== before.id && a.active && a.role === 'admin');
  if (others.length === 0) throw conflict('last_admin', 'This is the only active admin account: make another account admin before demoting or deactivating it.');
}
