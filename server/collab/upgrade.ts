import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';
import { sessionColors } from '../../shared/domain/color';
import { parseSyncPath } from '../../shared/protocol/docName';
import { DEVICE_CLIENTS_PARAM, parseDeviceClients } from '../../shared/protocol/deviceClients';
import type { VisitLog } from '../audit/VisitLog';
import { SESSION_COOKIE, type LoginService } from '../auth/logins';
import { can } from '../auth/policies';
import { readCookie } from '../auth/cookies';
import { isSameOrigin } from '../auth/origin';
import type { BlindRegistry } from '../learning/blindRegistry';
import type { Logger } from '../log';
import type { SessionRecord, Store } from '../persistence/ports';
import { StorageError } from '../persistence/storageBoundary';
import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Principal } from './Connection';
import type { CollabServer } from './CollabServer';
import type { HeldBytes } from '../ops/heldBytes';
import type { AccessRevocation } from '../services/accessRevocation';
import { watchUnfinished } from './unfinishedMessages';
import { decidedAfterRevocations, upgradeReads, type UpgradeReads } from './upgradeReads';

export interface UpgradeDeps {
  wss: WebSocketServer;
  collab: CollabServer;
  store: Store;
  logins: LoginService;
  /** Where opening and leaving the note are audited, a reconnecting client being one visit. */
  visits: VisitLog;
  /** Read fresh here, so the write gate knows whether the session is blind before the socket opens. */
  blind: BlindRegistry;
  log: Logger;
  /** Counts this process's revocations: an upgrade decided across one is decided again. */
  access: Pick<AccessRevocation, 'epoch'>;
  allowedOrigins: readonly string[];
  /** Bounds what each account's sockets may hold of messages not yet finished (watchUnfinished). */
  unfinished: HeldBytes;
  /**
   * Notes one account may hold open at once, per process (TANDEM_MAX_NOTES_PER_ACCOUNT, 32: a group
   * note, its member notes and process notes, a few more in other tabs). Each note stays in memory
   * while a socket holds it, and a clinician creates sessions of her own at will: a member filled
   * 14 of his own to the item bound (writerLimits.ts) and held them open, 942 MB of the process
   * (attack, 6 Dec).
   */
  maxNotesPerAccount: number;
  /** How long an upgrade may wait for its decision, ms; then it is closed with 4503 and `onTimedOut` told. */
  timeoutMs: number;
  onTimedOut: (address: string | undefined) => void;
}

/**
 * Decides every websocket upgrade before a socket exists: origin, login, membership. A refusal is
 * a plain HTTP answer (400/401/403/404), so nothing of the note is ever sent to a stranger; a
 * member past their sockets on the note, or a check storage could not answer, gets a socket that
 * is closed at once with a code and reason its page shows.
 */
export function createUpgradeHandler(deps: UpgradeDeps) {
  const places = new SocketPlaces();
  const reads = upgradeReads(deps.store, deps.logins, deps.blind, () => deps.access.epoch);
  return (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // Node's HTTP server stops listening for errors on a socket it hands over as an upgrade. A
    // client that resets the connection while we decide would otherwise end the process.
    const onSocketError = (err: Error) => {
      deps.log.debug('upgrade connection failed before it was answered', { err });
      socket.destroy();
    };
    socket.on('error', onSocketError);
    // Node's request timeouts end once the headers are in; the decision waits on storage. Without
    // a bound, every upgrade sent while storage hung held its socket for as long (attack, 6 Dec).
    let late = false;
    const bound = setTimeout(() => {
      late = true;
      deps.onTimedOut(req.socket.remoteAddress);
      closeAtOnce(deps, req, socket, head, onSocketError, { code: CloseCode.LoadFailed, reason: 'server busy; retrying' });
    }, deps.timeoutMs);
    socket.once('close', () => clearTimeout(bound));
    const inTime = () => {
      clearTimeout(bound);
      return !late;
    };
    // Decided again when a revocation came meanwhile (upgradeReads.ts decidedAfterRevocations).
    decidedAfterRevocations(() => deps.access.epoch, () => decide(deps, reads, req, places), ACCESS_CHANGED_WHILE_DECIDING).then(
      (decision) => {
        if (!inTime()) return 'release' in decision ? decision.release() : undefined;
        if ('status' in decision) return refuse(socket, decision.status, decision.message);
        if ('close' in decision) return closeAtOnce(deps, req, socket, head, onSocketError, decision.close);
        const { principal, sessionId } = decision;
        // The place is the connection's once it counts itself, or free again if it never opens: a
        // socket reset while we decided has closed already (each such upgrade held a place for
        // good, and 16 of them shut the account out of the note: CI, 4 Dec).
        socket.once('close', decision.release);
        if (socket.destroyed) decision.release();
        deps.wss.handleUpgrade(req, socket, head, (ws) => {
          // The websocket listens for its socket's errors from here on.
          socket.off('error', onSocketError);
          watchUnfinished(deps.unfinished, principal.accountId, ws, socket);
          deps.collab.handleConnection(ws, principal, decision.session, decision.canWrite, decision.deviceClients);
          decision.release();
          // Audited through a queue that retries: storage that refuses writes does not stop a
          // clinician opening the note, and the record is written once it takes them again.
          ws.once('close', deps.visits.enter(principal, sessionId));
        });
      },
      (err: unknown) => {
        if (!inTime()) return;
        if (err instanceof StorageError) {
          deps.log.warn('storage unavailable; websocket closed before opening the note', { err, code: CloseCode.LoadFailed });
          return closeAtOnce(deps, req, socket, head, onSocketError, { code: CloseCode.LoadFailed, reason: 'storage unavailable; retrying' });
        }
        deps.log.error('upgrade check failed', { err });
        refuse(socket, 503, 'Service Unavailable');
      },
    );
  };
}

/** Open sockets one account may hold on one note, per process (tabs and devices of one person). */
export const MAX_SOCKETS_PER_NOTE = 16;

/**
 * Upgrades of one account on one note that passed the socket count and are not yet connections.
 * The count and the place are taken in one turn: counted before the connection existed, upgrades
 * sent all at once each saw the same few open sockets (attack, 4 Dec: 131 of 400 opened, 16 allowed).
 */
class SocketPlaces {
  private readonly held = new Map<string, number>();

  count(key: string): number {
    return this.held.get(key) ?? 0;
  }

  /** The notes (session ids) `accountId` holds places on. */
  notesOf(accountId: string): string[] {
    return [...this.held.keys()].filter((key) => key.endsWith(`:${accountId}`)).map((key) => key.slice(0, -accountId.length - 1));
  }

  /** Holds a place under `key`; the function returned frees it (once, however often called). */
  take(key: string): () => void {
    this.held.set(key, this.count(key) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = this.count(key) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }
}

type Decision =
  | { status: number; message: string }
  /** Refused in words the page shows: the socket opens only to be closed with `close`. */
  | { close: { code: number; reason: string } }
  | { sessionId: string; session: SessionRecord; canWrite: boolean; principal: Principal; deviceClients: number[]; release: () => void };

const ACCESS_CHANGED_WHILE_DECIDING: Decision = { close: { code: CloseCode.AccessChanged, reason: 'access changed while connecting; reconnecting' } };

async function decide(deps: UpgradeDeps, reads: UpgradeReads, req: IncomingMessage, places: SocketPlaces): Promise<Decision> {
  const sessionId = parseSyncPath(req.url ?? '');
  if (!sessionId) return { status: 404, message: 'Not Found' };
  if (!isSameOrigin(req, deps.allowedOrigins)) return { status: 403, message: 'Forbidden' };
  const auth = await reads.login(readCookie(req, SESSION_COOKIE));
  if (!auth) return { status: 401, message: 'Unauthorized' };
  const [session, members] = await Promise.all([reads.session(sessionId), reads.members(sessionId)]);
  if (!session) return { status: 404, message: 'Not Found' };
  const member = members.find((m) => m.accountId === auth.account.id);
  if (!member || !can(auth.account, 'read', member.role)) {
    // Trying to open someone's process notes is recorded for their authors (no content, ids only).
    const processNote = await deps.store.memberNotes.processNote(sessionId, 'process');
    if (processNote) {
      await deps.store.audit.append({ at: Date.now(), actorId: auth.account.id, action: 'process_note_refused', sessionId: processNote.sessionId, detail: { processSessionId: sessionId, way: 'live' } });
    }
    return { status: 403, message: 'Forbidden' };
  }
  // Read once the asker is known to be a member: to anyone else a malformed list says nothing either.
  const deviceClients = parseDeviceClients(new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get(DEVICE_CLIENTS_PARAM));
  if (!deviceClients) return { status: 400, message: 'Bad Request' };
  // One person has a few tabs and devices on a note; past this, sockets only multiply one account's
  // share of the process (an attacker's 40 sockets flooding one note delayed every other note's saves).
  const place = `${sessionId}:${auth.account.id}`;
  const open = deps.collab.connections((c) => c.isOpen && c.sessionId === sessionId && c.principal.accountId === auth.account.id).length;
  if (open + places.count(place) >= MAX_SOCKETS_PER_NOTE) {
    deps.log.warn('upgrade refused: too many sockets of one account on one note', { sessionId, accountId: auth.account.id, n_limit: MAX_SOCKETS_PER_NOTE });
    return { close: { code: CloseCode.TooManySockets, reason: `open in ${MAX_SOCKETS_PER_NOTE} of your tabs or devices already` } };
  }
  const notes = new Set(deps.collab.connections((c) => c.isOpen && c.principal.accountId === auth.account.id).map((c) => c.sessionId));
  for (const held of places.notesOf(auth.account.id)) notes.add(held);
  if (!notes.has(sessionId) && notes.size >= deps.maxNotesPerAccount) {
    deps.log.warn('upgrade refused: too many notes open for one account', { accountId: auth.account.id, n_limit: deps.maxNotesPerAccount });
    return { close: { code: CloseCode.TooManySockets, reason: `${deps.maxNotesPerAccount} notes of yours are open already; close one` } };
  }
  const release = places.take(place);
  try {
    await reads.refreshBlind(sessionId);
  } catch (err) {
    release();
    throw err;
  }
  const color = sessionColors(members.map((m) => m.accountId)).get(member.accountId)!;
  const { account } = auth;
  return {
    sessionId,
    session,
    canWrite: can(account, 'edit', member.role),
    principal: { accountId: account.id, name: account.name, color, role: member.role, loginId: auth.loginId },
    deviceClients,
    release,
  };
}

/**
 * Refuses a websocket in words its page can show: the upgrade is accepted only to be closed at
 * once with `close`, where a plain HTTP answer reaches a browser as an unexplained 1006. Used when
 * storage could not answer who is asking (4503, which the client reads as "try again": it shows
 * itself offline and its provider reconnects with backoff) and for an account past its sockets on
 * the note. Nothing of any note is sent: the socket carries the close frame alone.
 */
function closeAtOnce(deps: UpgradeDeps, req: IncomingMessage, socket: Duplex, head: Buffer, onSocketError: (err: Error) => void, close: { code: number; reason: string }): void {
  deps.wss.handleUpgrade(req, socket, head, (ws) => {
    socket.off('error', onSocketError);
    ws.close(close.code, close.reason);
  });
}

/**
 * Answers and closes. The socket may already be gone (the client reset it while we decided); the
 * socket's error listener takes what writing to it raises. Once the answer is written the socket
 * is destroyed, as ws does: a client that never closes its side must not hold it open.
 */
function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
}
