import { CloseCode } from '../../shared/protocol/closeCodes';
import type { HttpDeps } from '../http/context';

type Deps = Pick<HttpDeps, 'logins' | 'collab'>;

/**
 * Ends an account's logins (all of them, or all but `keepLoginId`) and closes their websockets
 * with 4401, here and (through the access re-check `closeWhere` triggers) on every other process.
 * Returns how many logins ended.
 */
export async function endLogins(deps: Deps, accountId: string, reason: string, keepLoginId?: string): Promise<number> {
  const ended = await deps.logins.endAllFor(accountId, keepLoginId);
  deps.collab.closeWhere((c) => c.principal.accountId === accountId && c.principal.loginId !== keepLoginId, CloseCode.Unauthorized, reason);
  return ended;
}
