import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { ClientTarget, TandemNotice } from './clients';
import { classifyHocuspocus, classifyYWebsocket, newCounters, type WireCounters } from './wire';

/**
 * A simulated user at the frame level: one `ws` socket speaking the y-protocols sync and
 * awareness messages (y-websocket framing, or Hocuspocus's with the document name before each
 * message and a token first), with no Y.Doc and no provider. It sends pre-encoded updates, answers
 * the server's sync step 1 with an empty update (the typing script's setup is sent explicitly),
 * and hands every update it receives to `onUpdate` unapplied. This keeps the load generator
 * cheap enough that the server, not the client side, is what a typing step measures.
 */
export interface FrameHooks {
  /** Every update received (sync step 2 or update), at `now` (performance.now()). */
  onUpdate?(update: Uint8Array, now: number): void;
  /** Tandem's message 100: the state vector the server has durably stored. */
  onSaved?(stateVector: Map<number, number>): void;
  /** Tandem's message 101. */
  onNotice?(notice: TandemNotice): void;
}

const SYNC = 0;
const AWARENESS = 1;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
/** Hocuspocus: Auth (client → server: token; server → client: authenticated / denied) and SyncReply. */
const HP_AUTH = 2;
const HP_SYNC_REPLY = 4;
const HP_AUTH_DENIED = 1;
/** The update of an empty document: our answer to the server's sync step 1. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

export class FrameClient {
  readonly counters: WireCounters = newCounters();
  /** The update of the last sync step 2 received (the server's answer to our step 1). */
  lastStep2: Uint8Array | null = null;
  /**
   * How far the last answer to our step 1 reached: its step 2 and the updates that came before it
   * (Tandem sends the changes since it last encoded the note first, then that state as step 2).
   */
  private lastAnswerTo: Map<number, number> | null = null;
  /** Updates received since our last step 1, while its answer is awaited. */
  private sinceAsk: Uint8Array[] | null = null;
  /** A close the client did not ask for, if one happened. */
  closedBy: { code: number; reason: string } | null = null;
  private readonly socket: WebSocket;
  private readonly prefix: Uint8Array;
  private readonly classify: (frame: Uint8Array) => ReturnType<typeof classifyYWebsocket>;
  private readonly opened: Promise<void>;
  private step2Waiters: (() => void)[] = [];
  private awarenessClock = 0;
  private closing = false;

  constructor(
    private readonly target: ClientTarget,
    private readonly hooks: FrameHooks = {},
  ) {
    const hocuspocus = target.protocol === 'hocuspocus';
    const url = hocuspocus ? target.serverUrl : `${target.serverUrl}/${target.room}`;
    this.socket = new WebSocket(url, { headers: target.headers, perMessageDeflate: false });
    this.socket.binaryType = 'nodebuffer';
    const prefix = encoding.createEncoder();
    if (hocuspocus) encoding.writeVarString(prefix, target.room);
    this.prefix = encoding.toUint8Array(prefix);
    this.classify = hocuspocus ? classifyHocuspocus : classifyYWebsocket;
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('error', reject);
    });
    // A socket error is followed by 'close'; recorded here so a second one never goes unhandled.
    this.socket.on('error', (err) => (this.closedBy ??= { code: 0, reason: err.message }));
    this.socket.on('message', (data: Buffer) => this.receive(data));
    this.socket.on('close', (code, reason) => {
      if (!this.closing) this.closedBy = { code, reason: reason.toString() };
      for (const w of this.step2Waiters) w();
    });
    void this.opened.then(() => {
      // As a provider does on open: (Hocuspocus: the token first,) our sync step 1.
      if (hocuspocus) this.send(HP_AUTH, (e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarString(e, '');
      });
      this.requestSync();
    }, () => undefined);
  }

  /** Resolves once the socket is open; for a stateful server, once its sync step 2 arrived. */
  async ready(timeoutMs: number): Promise<void> {
    await withTimeout(this.opened, timeoutMs, 'socket did not open');
    if (this.target.syncedOn === 'server' && !this.lastStep2) await this.nextStep2(timeoutMs);
  }

  /**
   * Resolves once the server's answer to a sync step 1 covers `stateVector` (what an earlier
   * client sent has been taken in), asking again every `everyMs`.
   */
  async fetchCovering(stateVector: Map<number, number>, timeoutMs: number, everyMs = 20): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!this.lastAnswerTo || !covers(this.lastAnswerTo, stateVector)) {
      if (performance.now() > deadline) throw new Error(`the server did not hold the session's setup after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      this.requestSync();
      await this.nextStep2(Math.max(1, deadline - performance.now()));
    }
  }

  /** Sends our sync step 1 (an empty state vector: we hold nothing). */
  requestSync(): void {
    this.sinceAsk = [];
    this.send(SYNC, (e) => {
      encoding.writeVarUint(e, STEP1);
      encoding.writeVarUint8Array(e, EMPTY_STATE_VECTOR);
    });
  }

  /** Sends `update` as a sync update message. */
  sendUpdate(update: Uint8Array): void {
    this.send(SYNC, (e) => {
      encoding.writeVarUint(e, UPDATE);
      encoding.writeVarUint8Array(e, update);
    });
  }

  /** Sends presence `state` (JSON) for awareness id `clientId`, with the next clock. */
  sendPresence(clientId: number, state: string): void {
    const clock = ++this.awarenessClock;
    this.send(AWARENESS, (e) => {
      const inner = encoding.createEncoder();
      encoding.writeVarUint(inner, 1);
      encoding.writeVarUint(inner, clientId);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarString(inner, state);
      encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
    });
  }

  close(): void {
    this.closing = true;
    this.socket.close();
  }

  private send(type: number, body: (e: encoding.Encoder) => void): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const e = encoding.createEncoder();
    encoding.writeUint8Array(e, this.prefix);
    encoding.writeVarUint(e, type);
    body(e);
    this.socket.send(encoding.toUint8Array(e));
  }

  private nextStep2(timeoutMs: number): Promise<void> {
    const arrived = new Promise<void>((resolve) => this.step2Waiters.push(resolve));
    return withTimeout(arrived, timeoutMs, `no sync step 2${this.closedBy ? ` (closed ${this.closedBy.code} ${this.closedBy.reason})` : ''}`);
  }

  private receive(frame: Buffer): void {
    const now = performance.now();
    this.counters.bytes += frame.byteLength;
    this.counters.frames[this.classify(frame)]++;
    const d = decoding.createDecoder(frame);
    if (this.prefix.length) decoding.readVarString(d);
    const type = decoding.readVarUint(d);
    if (type === SYNC || (type === HP_SYNC_REPLY && this.prefix.length)) {
      const sub = decoding.readVarUint(d);
      if (sub === STEP1) {
        this.send(SYNC, (e) => {
          encoding.writeVarUint(e, STEP2);
          encoding.writeVarUint8Array(e, EMPTY_UPDATE);
        });
        return;
      }
      const update = decoding.readVarUint8Array(d);
      this.hooks.onUpdate?.(update, now);
      if (sub !== STEP2) this.sinceAsk?.push(update);
      if (sub === STEP2) {
        this.lastStep2 = update;
        this.lastAnswerTo = reach([update, ...(this.sinceAsk ?? [])]);
        this.sinceAsk = null;
        const waiters = this.step2Waiters;
        this.step2Waiters = [];
        for (const w of waiters) w();
      }
    } else if (this.prefix.length && type === HP_AUTH) {
      if (decoding.readVarUint(d) === HP_AUTH_DENIED) this.closedBy = { code: 4403, reason: decoding.readVarString(d) };
    } else if (!this.prefix.length && type === 100) {
      this.hooks.onSaved?.(Y.decodeStateVector(decoding.readVarUint8Array(d)));
    } else if (!this.prefix.length && type === 101) {
      this.hooks.onNotice?.(JSON.parse(decoding.readVarString(d)) as TandemNotice);
    }
  }
}

/** The highest clock of each client that `updates` reach together. */
function reach(updates: Uint8Array[]): Map<number, number> {
  const to = new Map<number, number>();
  for (const u of updates) for (const [client, clock] of Y.parseUpdateMeta(u).to) to.set(client, Math.max(clock, to.get(client) ?? 0));
  return to;
}

/** Whether state vector `have` reaches every clock of `want`. */
export function covers(have: Map<number, number>, want: Map<number, number>): boolean {
  for (const [client, clock] of want) if ((have.get(client) ?? 0) < clock) return false;
  return true;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${message} after ${Math.round(ms)} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
