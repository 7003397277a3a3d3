import type { RawData, WebSocket } from 'ws';
import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Logger } from '../log';
import type { Connection } from './Connection';
import { Inbox } from './inbox';
import type { TurnShare } from './turnShare';
import { closeForFailure } from './messageFailure';
import { decodeClientMessage, encodeNotice, type ClientMessage } from './wire';

/** Frames a client may send before its note has loaded; more is not a client we want. */
const MAX_EARLY_FRAMES = 256;

/** Where decoded frames go: the note's `receive`. */
export interface FrameTarget {
  readonly sessionId: string;
  /** Throws WireError for content that does not parse. */
  receive(conn: Connection, message: ClientMessage): void;
}

export interface IntakeDeps {
  log: Logger;
  /** Largest message applied; a larger one closes its connection with `MessageOverLimit`. */
  maxMessageBytes: number;
  /** A connection was closed for sending a message over the limit. */
  onOverLimit?(conn: Connection, bytes: number): void;
  /** Handling a frame failed inside the server (its connection was closed with `ServerError`). */
  onServerError?(): void;
  /** The event loop's turns, shared with every other connection's frames. */
  turns: TurnShare;
}

/**
 * The first stage of a connection's receive path: bounds each frame's size, keeps frames that
 * arrive before the note loaded (a bounded few), takes them in order in the turns of the event loop
 * it shares with every other connection (Inbox, TurnShare), decodes them (wire.ts) and hands them
 * to the note. A frame that does not decode closes the connection with `BadMessage`; one whose
 * handling fails inside the server closes it with `ServerError` (messageFailure.ts).
 */
export class FrameIntake {
  private readonly early: RawData[] = [];
  private target: FrameTarget | null = null;
  private readonly inbox: Inbox<RawData>;

  constructor(
    private readonly conn: Connection,
    ws: WebSocket,
    private readonly deps: IntakeDeps,
  ) {
    this.inbox = new Inbox<RawData>((data) => this.target && this.dispatch(this.target, data), ws, deps.turns, byteLength);
    ws.on('message', (data: RawData, isBinary: boolean) => this.handleFrame(data, isBinary));
    ws.on('close', () => this.inbox.clear());
  }

  /** Starts handing frames to `target` (the loaded note), those that waited for it first. */
  start(target: FrameTarget): void {
    this.target = target;
    for (const data of this.early.splice(0)) this.inbox.push(data);
  }

  private handleFrame(data: RawData, isBinary: boolean): void {
    const bytes = byteLength(data);
    if (bytes > this.deps.maxMessageBytes) return this.refuseOverLimit(bytes);
    if (!isBinary) return this.conn.close(CloseCode.BadMessage, 'text frames are not part of the protocol');
    if (!this.target) {
      if (this.early.length >= MAX_EARLY_FRAMES) return this.conn.close(CloseCode.BadMessage, 'too many messages before the note loaded');
      this.early.push(data);
      return;
    }
    this.inbox.push(data);
  }

  /**
   * Closes with a final code, naming the size and the limit, so the client stops offering the
   * same bytes (ws's own 1009 reads as transient, and the stock provider resends it forever).
   */
  private refuseOverLimit(bytes: number): void {
    const { conn } = this;
    const limit = this.deps.maxMessageBytes;
    this.deps.log.warn('message over the size limit; connection closed', { sessionId: conn.sessionId, connectionId: conn.id, bytes, n_limit: limit });
    this.deps.onOverLimit?.(conn, bytes);
    conn.send(encodeNotice({ type: 'too-big', size: bytes, limit }));
    conn.close(CloseCode.MessageOverLimit, `message of ${bytes} bytes is over the limit of ${limit} bytes`);
  }

  private dispatch(target: FrameTarget, data: RawData): void {
    const { conn } = this;
    if (!conn.isOpen) return;
    const frame = toBytes(data);
    try {
      const message = decodeClientMessage(frame);
      // A connection's first presence is its arrival, not something the person did: a client
      // that only reconnects must not keep its login alive (see Connection.lastActivityAt).
      const arrival = message.kind === 'awareness' && conn.awarenessClients.size === 0;
      const activityBefore = conn.lastActivityAt;
      target.receive(conn, message);
      if (arrival) conn.lastActivityAt = activityBefore;
    } catch (err) {
      closeForFailure(conn, err, this.deps.log, target.sessionId, this.deps.onServerError);
    }
  }
}

function byteLength(data: RawData): number {
  return Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
