import { CloseCode } from '../../shared/protocol/closeCodes';
import type { CollabServer } from '../collab/CollabServer';
import type { Connection } from '../collab/Connection';

/** What revocation needs of the live connections: the collab server's public surface, no more. */
export type LiveConnections = Pick<CollabServer, 'closeWhere'>;

/**
 * The one place access is taken back from open websockets. Routes and services call it after the
 * store has changed (a logout, a removal, a lock); it closes this process's sockets with the code
 * the client acts on (4401 log in again, 4403 gone, 4205 reconnect and be judged afresh), then
 * tells every `onRevoked` listener, through which the fan-out makes other processes re-check
 * their own sockets against the store (ops/crossProcess.ts).
 */
export interface AccessRevocation {
  /** One login ended (logout): its sockets close with 4401. */
  loginEnded(loginId: string, reason: string): void;
  /** An account's logins ended, all but `keepLoginId` if given (deactivation, password change): 4401. */
  accountLoginsEnded(accountId: string, reason: string, keepLoginId?: string): void;
  /** An account's clinic role changed: its sockets reconnect under the new role (4205). */
  accountRoleChanged(accountId: string): void;
  /** A member's role in one session changed: their sockets on it reconnect (4205). */
  memberRoleChanged(sessionId: string, accountId: string): void;
  /** A member was removed from a session: their sockets on it close with 4403. */
  memberRemoved(sessionId: string, accountId: string): void;
  /**
   * A session changed what its sockets may do (a lifecycle step, blind mode, a reveal): all of them
   * reconnect (4205), and each process judges them afresh at the upgrade, where the record is read.
   */
  sessionChanged(sessionId: string, reason: string): void;
  /** A session is gone for everyone (process notes removed): its sockets close with 4403. */
  sessionGone(sessionId: string, reason: string): void;
  /**
   * Another process made a revocation (its word reached this one: ops/crossProcess.ts), or may
   * have (an outage swallowed what it said). Counted in `epoch` like one made here, so an upgrade
   * decided across it is decided again; the `onRevoked` listeners are not told (they tell the
   * other processes, where it came from).
   */
  revokedElsewhere(): void;
  /** Calls `listener` after every revocation made here; returns the function that stops it. */
  onRevoked(listener: () => void): () => void;
  /**
   * How many revocations this process has made or heard of from another. A websocket upgrade is
   * decided from reads made before its socket is a connection, so a revocation meanwhile closes
   * nothing of it: one decided across a change is decided again (upgrade.ts). Counting only this
   * process's own (attack, 6 Dec), a member removed through process B while A decided their
   * upgrade got 101 from A: B's word reached A when the re-check it starts had already listed
   * A's connections, and the upgrade was not one of them yet.
   */
  readonly epoch: number;
}

export function createAccessRevocation(live: LiveConnections): AccessRevocation {
  const listeners = new Set<() => void>();
  let epoch = 0;
  const close = (filter: (c: Connection) => boolean, code: number, reason: string): void => {
    epoch++;
    live.closeWhere(filter, code, reason);
    for (const listener of listeners) listener();
  };
  return {
    loginEnded: (loginId, reason) => close((c) => c.principal.loginId === loginId, CloseCode.Unauthorized, reason),
    accountLoginsEnded: (accountId, reason, keepLoginId) =>
      close((c) => c.principal.accountId === accountId && c.principal.loginId !== keepLoginId, CloseCode.Unauthorized, reason),
    accountRoleChanged: (accountId) => close((c) => c.principal.accountId === accountId, CloseCode.AccessChanged, 'role changed'),
    memberRoleChanged: (sessionId, accountId) =>
      close((c) => c.sessionId === sessionId && c.principal.accountId === accountId, CloseCode.AccessChanged, 'role in session changed'),
    memberRemoved: (sessionId, accountId) =>
      close((c) => c.sessionId === sessionId && c.principal.accountId === accountId, CloseCode.Forbidden, 'removed from the session'),
    sessionChanged: (sessionId, reason) => close((c) => c.sessionId === sessionId, CloseCode.AccessChanged, reason),
    sessionGone: (sessionId, reason) => close((c) => c.sessionId === sessionId, CloseCode.Forbidden, reason),
    revokedElsewhere: () => {
      epoch++;
    },
    onRevoked: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get epoch() {
      return epoch;
    },
  };
}
