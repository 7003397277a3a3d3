import { CloseCode } from '../../shared/protocol/closeCodes';
import { can } from '../auth/policies';
import type { CollabServer } from '../collab/CollabServer';
import type { Connection } from '../collab/Connection';
import type { BlindRegistry } from '../learning/blindRegistry';
import type { Logger } from '../log';
import type { AccountRecord, MemberRecord, Store } from '../persistence/ports';

/** What a re-check reads: this process's connections and notes, the store, and the blind registry. */
export interface AccessRecheckDeps {
  collab: Pick<CollabServer, 'connections' | 'loaded' | 'updateSession'>;
  store: Store;
  log: Logger;
  blind?: BlindRegistry;
}

/**
 * Closes each local connection the store no longer allows as it is, with the code the revocation
 * on the changing process used (see accessRevocation.ts). Run on every process after a revocation
 * anywhere, and after a fan-out outage. Returns how many it closed.
 */
export async function recheckAccess(deps: AccessRecheckDeps): Promise<number> {
  const { collab, store } = deps;
  const conns = collab.connections((c) => c.isOpen);
  let closed = 0;
  const close = (c: Connection, code: number, reason: string) => {
    closed++;
    c.close(code, reason);
  };

  // Session status first: a note locked on another process must lock here too.
  for (const sessionId of new Set(conns.map((c) => c.sessionId))) {
    const fresh = await store.sessions.byId(sessionId);
    const doc = collab.loaded(sessionId);
    if (!fresh) {
      for (const c of conns) if (c.sessionId === sessionId) close(c, CloseCode.Forbidden, 'session no longer exists');
      continue;
    }
    const before = doc?.session.status;
    collab.updateSession(fresh);
    // Blind mode set or revealed on another process: the write gate here follows, and the copies
    // open here reconnect, as on the process where it changed.
    const wasPrivate = deps.blind?.isPrivate(sessionId);
    await deps.blind?.refresh(sessionId);
    const blindChanged = deps.blind !== undefined && wasPrivate !== deps.blind.isPrivate(sessionId);
    if ((before !== undefined && before !== fresh.status) || blindChanged) {
      for (const c of conns) if (c.sessionId === sessionId && c.isOpen) close(c, CloseCode.AccessChanged, blindChanged ? 'blind mode changed' : `session is now ${fresh.status}`);
    }
  }

  const accounts = new Map<string, AccountRecord | null>();
  const members = new Map<string, MemberRecord | null>();
  const loginsAlive = new Map<string, boolean>();
  for (const c of conns) {
    if (!c.isOpen) continue;
    const { loginId, accountId } = c.principal;
    if (!loginsAlive.has(loginId)) loginsAlive.set(loginId, (await store.logins.get(loginId))?.accountId === accountId);
    if (!loginsAlive.get(loginId)) {
      close(c, CloseCode.Unauthorized, 'logged out');
      continue;
    }
    if (!accounts.has(accountId)) accounts.set(accountId, await store.accounts.byId(accountId));
    const account = accounts.get(accountId);
    if (!account?.active) {
      close(c, CloseCode.Unauthorized, 'account deactivated');
      continue;
    }
    const key = `${c.sessionId}:${accountId}`;
    if (!members.has(key)) members.set(key, await store.sessions.member(c.sessionId, accountId));
    const member = members.get(key);
    if (!member || !can(account, 'read', member.role)) close(c, CloseCode.Forbidden, 'removed from the session');
    else if (member.role !== c.principal.role || can(account, 'edit', member.role) !== c.canWrite) close(c, CloseCode.AccessChanged, 'access changed');
  }
  if (closed > 0) deps.log.info('closed connections whose access changed on another process', { count: closed });
  return closed;
}
