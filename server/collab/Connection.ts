import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Holder, HeldLimits } from '../ops/heldBytes';
import type { MemberRole } from '../../shared/domain/roles';

/**
 * Bounds on bytes queued for peers that do not read them, for a process that drops one socket
 * past `maxBufferedBytes` (checked before each send, so one send of a whole note may pass it): an
 * account's sockets together hold eight sockets' worth, room for tabs opening a long note. Sixteen sockets
 * of one account on each of many notes, each sent a whole note it read a trickle of, each held up
 * to the socket's bound (the kind of the unfinished messages of 6 Dec, on the way out). No bound
 * in all: every page of a restarted process asks for its note at once, and dropping them would
 * only have them ask again.
 */
export function queuedLimits(maxBufferedBytes: number): HeldLimits {
  return { perKey: 8 * maxBufferedBytes, inAll: Number.POSITIVE_INFINITY };
}

/** Who is on the other end of a socket, as the server established it at the upgrade. */
export interface Principal {
  accountId: string;
  name: string;
  color: string;
  role: MemberRole;
  /** The login this socket was opened with, so logging out closes exactly its sockets. */
  loginId: string;
}

/** One client socket in one note, with what the server decided it may do. */
export class Connection {
  readonly id = randomUUID();
  /** Awareness client ids this connection has announced (removed from presence when it leaves). */
  readonly awarenessClients = new Set<number>();
  /**
   * Last time the person did something (wrote, or moved their cursor); 0 until they do. Opening
   * the connection, presence heartbeats and pings do not count: a client that only reconnects
   * must not keep a login alive.
   */
  lastActivityAt = 0;
  /** Resolves once the socket has closed, whoever closed it. */
  readonly closed: Promise<void>;
  private closing = false;
  /** Bytes queued for the peer when last counted (see `queued`). */
  private queuedBytes = 0;
  /** Whether the peer answered the last ping (or sent anything since). */
  private answered = true;

  constructor(
    private readonly ws: WebSocket,
    readonly principal: Principal,
    readonly sessionId: string,
    /** Whether the server applies document updates from this connection. */
    public canWrite: boolean,
    /** Past this many bytes queued for a client that does not read, the server lets it go. */
    private readonly maxBufferedBytes: number,
    /** The Yjs client ids the page says its device wrote the note under (shared/protocol/deviceClients.ts). */
    readonly deviceClients: readonly number[] = [],
    /** Where the bytes queued for this peer count toward its account's bound (queuedLimits). */
    private readonly queued: Holder | null = null,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.once('close', () => queued?.remove());
    // A message counts as an answer too: a pong may wait behind a large message on a slow link.
    const heard = () => {
      this.answered = true;
    };
    ws.on('pong', heard);
    ws.on('message', heard);
  }

  get isOpen(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN;
  }

  send(frame: Uint8Array): void {
    if (!this.isOpen) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      // A close frame would queue behind the data the client is not reading: drop the socket.
      // The client reconnects and resyncs from the server's state (sync step 1).
      this.terminate();
      return;
    }
    if (!this.queued) return this.ws.send(frame);
    // Counted as the frame is queued and again once it went out; one callback for every send.
    this.ws.send(frame, this.countQueued);
    this.countQueued();
  }

  private readonly countQueued = (): void => {
    const now = this.ws.bufferedAmount;
    this.queued?.add(now - this.queuedBytes);
    this.queuedBytes = now;
  };

  /**
   * Pings the peer. Returns false, having dropped the socket, when the peer did not answer the
   * previous ping: its network is gone without a FIN or RST, and a closing handshake would wait
   * for it just the same.
   */
  ping(): boolean {
    if (!this.isOpen) return true;
    if (!this.answered) {
      this.terminate();
      return false;
    }
    this.answered = false;
    this.ws.ping();
    return true;
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    this.ws.close(code, reason);
  }

  /** Drops the socket without a closing handshake (a peer that does not answer one). */
  terminate(): void {
    this.closing = true;
    this.ws.terminate();
  }
}
