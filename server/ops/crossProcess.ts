import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { can } from '../auth/policies';
import type { CollabServer } from '../collab/CollabServer';
import { mergeMany } from '../collab/compaction';
import { encodeFanoutUpdate } from '../collab/fanoutUpdate';
import type { Connection } from '../collab/Connection';
import type { RedisFanout, ResyncHooks } from '../fanout/RedisFanout';
import type { BlindRegistry } from '../learning/blindRegistry';
import type { Logger } from '../log';
import type { AccountRecord, MemberRecord, Store } from '../persistence/ports';

/**
 * What the Redis fan-out needs to catch notes up after an outage (see `RedisFanout.onResync`):
 * this process's whole state of a note and its presence, and what the store has of it. Whole
 * states overlap with what peers have; Yjs drops what a doc already holds, so that costs bytes only.
 */
export function resyncHooks(deps: { collab: CollabServer; store: Store }): ResyncHooks {
  return {
    snapshotOf: (sessionId) => {
      const live = deps.collab.loaded(sessionId);
      if (!live) return [];
      const present = Array.from(live.awareness.getStates().keys());
      return [
        { kind: 'update', data: encodeFanoutUpdate(Y.encodeStateAsUpdate(live.doc), live.bindingsOf()) },
        ...(present.length > 0 ? [{ kind: 'awareness' as const, data: awarenessProtocol.encodeAwarenessUpdate(live.awareness, present) }] : []),
      ];
    },
    catchUp: async (sessionId) => {
      const { snapshot, tail } = await deps.store.docs.load(sessionId);
      const parts = [...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)];
      const bindings = await deps.store.bindings.forSession(sessionId);
      return parts.length > 0 ? [encodeFanoutUpdate(mergeMany(parts), bindings)] : [];
    },
  };
}

/**
 * Makes revocation hold on every process. Routes close the sockets they revoke with
 * `collab.closeWhere(filter, …)`; the filter is a function, which cannot cross processes, so
 * instead every such call (except shutdown's) tells the other processes to re-check their own
 * connections against the store, the source of truth, exactly as the upgrade decided them. The
 * same re-check runs after a Redis outage, for the messages it swallowed. Returns a stop function.
 */
export function shareAccessChanges(deps: { collab: CollabServer; store: Store; fanout: RedisFanout; log: Logger; blind?: BlindRegistry }): () => void {
  const { collab, fanout } = deps;
  const closeLocally = collab.closeWhere.bind(collab);
  collab.closeWhere = (filter, code, reason) => {
    const closed = closeLocally(filter, code, reason);
    if (code !== CloseCode.ServerRestarting) fanout.publishControl({ kind: 'recheck-access' });
    return closed;
  };

  let running: Promise<void> | null = null;
  let again = false;
  const recheck = () => {
    if (running) {
      again = true;
      return;
    }
    running = recheckAccess(deps)
      .then(() => {}, (err: unknown) => deps.log.error('re-checking access after a change on another process failed', { err }))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          recheck();
        }
      });
  };
  fanout.onControl((m) => {
    if (m.kind === 'recheck-access') recheck();
  });
  return () => {
    collab.closeWhere = closeLocally;
  };
}

/** Closes each local connection the store no longer allows as it is, with the code the local route would use. */
export async function recheckAccess(deps: { collab: CollabServer; store: Store; log: Logger; blind?: BlindRegistry }): Promise<number> {
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
