import type { AccountRole } from '../../shared/domain/roles';
import type { ServiceDeps } from './deps';
import { conflict } from '../domain/errors';
import type { AccountRecord } from '../persistence/ports';

type Deps = Pick<ServiceDeps, 'logins' | 'access'>;

/**
 * Ends an account's logins (all of them, or all but `keepLoginId`) and closes their websockets
 * with 4401, here and on every other process (see accessRevocation.ts).
 * Returns how many logins ended.
 */
export async function endLogins(deps: Deps, accountId: string, reason: string, keepLoginId?: string): Promise<number> {
  const ended = await deps.logins.endAllFor(accountId, keepLoginId);
  deps.access.accountLoginsEnded(accountId, reason, keepLoginId);
  return ended;
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
