import type { RawData, WebSocket } from 'ws';
import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Fanout } from '../fanout/Fanout';
import type { Logger } from '../log';
import type { BindingStore, DocStore, SessionRecord, SessionStore } from '../persistence/ports';
import type { JudgeBigUpdate } from './bigUpdate';
import { compactDoc, type Fold } from './compaction';
import { Connection, type Principal } from './Connection';
import { Inbox } from './inbox';
import { keepAlive, type LivenessOptions } from './liveness';
import { SharedDoc, type AfterApply } from './SharedDoc';
import type { WriteGuard } from './writeGate';
import { decodeClientMessage, encodeNotice, WireError } from './wire';

export interface CollabOptions extends LivenessOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
  historyResolutionMs: number;
  maxBufferedBytes: number;
  /** Largest message applied; a larger one closes its connection with `MessageOverLimit`. */
  maxMessageBytes: number;
}

export interface CollabDeps {
  store: DocStore;
  sessions: Pick<SessionStore, 'byId'>;
  bindings: BindingStore;
  fanout: Fanout;
  log: Logger;
  guards: WriteGuard[];
  /** Where big client updates are judged (the server: a worker thread); default: in line. */
  judgeBigUpdate?: JudgeBigUpdate;
  afterApply: AfterApply[];
  options: CollabOptions;
  /** Where compaction's CPU work runs (the server: a worker thread); default: in line. */
  fold?: Fold;
  /** Runs a compaction only if no other process is compacting that note (scale-out). */
  withCompactionLock?: (sessionId: string, run: () => Promise<void>) => Promise<void>;
  /** Observability hooks; all optional. */
  onConnectionOpened?(conn: Connection): void;
  onConnectionClosed?(conn: Connection): void;
  /** A peer was dropped for not answering a ping. */
  onUnanswered?(conn: Connection): void;
  /** A connection was closed for sending a message over the limit. */
  onOverLimit?(conn: Connection, bytes: number): void;
  /** Whether presence in a session shows carets only, no selections (see `SharedDocDeps`). */
  caretsOnly?(sessionId: string): boolean;
}

interface Entry {
  ready: Promise<SharedDoc>;
  doc: SharedDoc;
  unloadTimer: NodeJS.Timeout | null;
  updatesSinceCompaction: number;
  /** The compaction in progress, if any. */
  compaction: Promise<void> | null;
  /** Bumped whenever a connection claims the note, so an unload in progress can tell it must stop. */
  claims: number;
}

/** Frames a client may send before its note has loaded; more is not a client we want. */
const MAX_EARLY_FRAMES = 256;

/**
 * Owns every loaded note and every sync connection. Transport-agnostic beyond `ws` sockets
 * handed to it already authenticated: the HTTP upgrade decides who gets here.
 */
export class CollabServer {
  private readonly entries = new Map<string, Entry>();
  private readonly open = new Set<Connection>();
  private readonly compactions = new Set<Promise<void>>();
  private stopping = false;
  private readonly stopLiveness: () => void;

  constructor(private readonly deps: CollabDeps) {
    this.stopLiveness = keepAlive(() => this.open, deps.options, (conn) => {
      deps.log.info('peer did not answer a ping; connection dropped', { sessionId: conn.sessionId, connectionId: conn.id });
      deps.onUnanswered?.(conn);
    });
  }

  /** Loaded notes and open connections, for metrics. */
  get stats(): { docs: number; connections: number } {
    return { docs: this.entries.size, connections: this.open.size };
  }

  /** The loaded note of a session, if any process-local clients have it open. */
  loaded(sessionId: string): SharedDoc | undefined {
    return this.entries.get(sessionId)?.doc;
  }

  connections(filter: (c: Connection) => boolean = () => true): Connection[] {
    return Array.from(this.open).filter(filter);
  }

  /** Closes every connection matching `filter` (logout, removal from a session, lost rights). */
  closeWhere(filter: (c: Connection) => boolean, code: number, reason: string): number {
    const victims = this.connections(filter);
    for (const c of victims) c.close(code, reason);
    return victims.length;
  }

  /**
   * Runs `change` on the session's note on the server's own authority (loading it if no client has
   * it open), and resolves once what it wrote is stored. Its writes reach open clients like any
   * other change (and other processes through the fan-out).
   */
  async withNote<T>(session: SessionRecord, change: (note: SharedDoc) => T): Promise<T> {
    const note = await this.acquire(session);
    try {
      note.adoptSession(session);
      const result = change(note);
      await note.persist.drain();
      return result;
    } finally {
      this.scheduleUnload(session.id);
    }
  }

  /** Refreshes what a loaded note knows of its session (status, clock, group members). */
  updateSession(session: SessionRecord): void {
    const doc = this.entries.get(session.id)?.doc;
    doc?.adoptSession(session);
  }

  /**
   * `session` is as the upgrade read it from storage; the loaded note keeps whichever record is
   * newer, so an upgrade that read before a signature cannot unlock the note.
   */
  handleConnection(ws: WebSocket, principal: Principal, session: SessionRecord, canWrite: boolean): void {
    const sessionId = session.id;
    const conn = new Connection(ws, principal, sessionId, canWrite, this.deps.options.maxBufferedBytes);
    this.open.add(conn);
    this.deps.onConnectionOpened?.(conn);
    const { heartbeatMs, maxMessageBytes } = this.deps.options;
    conn.send(encodeNotice({ type: 'hello', heartbeatMs, maxMessageBytes }));
    const early: RawData[] = [];
    let doc: SharedDoc | null = null;

    const inbox = new Inbox<RawData>((data) => doc && this.dispatch(doc, conn, data), ws);
    const handleFrame = (data: RawData, isBinary: boolean) => {
      const bytes = byteLength(data);
      if (bytes > maxMessageBytes) return this.refuseOverLimit(conn, bytes);
      if (!isBinary) return conn.close(CloseCode.BadMessage, 'text frames are not part of the protocol');
      if (!doc) {
        if (early.length >= MAX_EARLY_FRAMES) return conn.close(CloseCode.BadMessage, 'too many messages before the note loaded');
        early.push(data);
        return;
      }
      inbox.push(data);
    };
    ws.on('message', handleFrame);
    ws.on('error', (err: Error & { code?: string }) => {
      const tooBig = err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
      this.deps.log.warn(tooBig ? 'message over twice the size limit; connection cut off unread' : 'websocket error', { sessionId, connectionId: conn.id, err });
    });
    ws.on('close', () => {
      this.open.delete(conn);
      this.deps.onConnectionClosed?.(conn);
      if (doc) {
        doc.removeConnection(conn);
        this.scheduleUnload(sessionId);
      }
    });

    this.acquire(session).then(
      (loaded) => {
        if (!conn.isOpen) return this.scheduleUnload(sessionId);
        loaded.adoptSession(session);
        doc = loaded;
        loaded.addConnection(conn);
        for (const data of early.splice(0)) inbox.push(data);
      },
      (err: unknown) => {
        this.deps.log.error('note could not be loaded; refusing to serve it', { sessionId, err });
        conn.close(CloseCode.LoadFailed, 'the note could not be loaded; retrying');
      },
    );
  }

  /** Stops taking connections, closes sockets so clients reconnect elsewhere, stores everything. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    this.stopLiveness();
    const gone = Array.from(this.open, (c) => c.closed);
    this.closeWhere(() => true, CloseCode.ServerRestarting, 'server restarting');
    await Promise.race([Promise.all(gone), new Promise((r) => setTimeout(r, 2000).unref())]);
    for (const c of this.open) c.terminate();
    const entries = Array.from(this.entries.entries());
    await Promise.all(entries.map(([id]) => this.unload(id, true)));
    // Notes unloaded earlier may still be compacting: the store must stay open until they finish.
    while (this.compactions.size > 0) await Promise.all(this.compactions);
  }

  /**
   * Closes with a final code, naming the size and the limit, so the client stops offering the
   * same bytes (ws's own 1009 reads as transient, and the stock provider resends it forever).
   */
  private refuseOverLimit(conn: Connection, bytes: number): void {
    const limit = this.deps.options.maxMessageBytes;
    this.deps.log.warn('message over the size limit; connection closed', { sessionId: conn.sessionId, connectionId: conn.id, bytes, n_limit: limit });
    this.deps.onOverLimit?.(conn, bytes);
    conn.send(encodeNotice({ type: 'too-big', size: bytes, limit }));
    conn.close(CloseCode.MessageOverLimit, `message of ${bytes} bytes is over the limit of ${limit} bytes`);
  }

  private dispatch(doc: SharedDoc, conn: Connection, data: RawData): void {
    if (!conn.isOpen) return;
    const frame = toBytes(data);
    try {
      const message = decodeClientMessage(frame);
      // A connection's first presence is its arrival, not something the person did: a client
      // that only reconnects must not keep its login alive (see Connection.lastActivityAt).
      const arrival = message.kind === 'awareness' && conn.awarenessClients.size === 0;
      const activityBefore = conn.lastActivityAt;
      doc.receive(conn, message);
      if (arrival) conn.lastActivityAt = activityBefore;
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      this.deps.log.warn('bad message; closing connection', { sessionId: doc.sessionId, connectionId: conn.id, bytes: frame.byteLength, code: CloseCode.BadMessage });
      conn.close(CloseCode.BadMessage, err.message);
    }
  }

  private acquire(session: SessionRecord): Promise<SharedDoc> {
    const sessionId = session.id;
    const existing = this.entries.get(sessionId);
    if (existing) {
      if (existing.unloadTimer) clearTimeout(existing.unloadTimer);
      existing.unloadTimer = null;
      existing.claims++;
      return existing.ready;
    }
    const doc: SharedDoc = new SharedDoc(session, {
      store: this.deps.store,
      sessions: this.deps.sessions,
      bindings: this.deps.bindings,
      fanout: this.deps.fanout,
      log: this.deps.log,
      guards: this.deps.guards,
      afterApply: this.deps.afterApply,
      onStored: (_d, count) => this.noteStored(sessionId, count),
      ...(this.deps.caretsOnly ? { caretsOnly: this.deps.caretsOnly } : {}),
      ...(this.deps.judgeBigUpdate ? { judgeBigUpdate: this.deps.judgeBigUpdate } : {}),
    });
    const entry: Entry = { doc, ready: Promise.resolve(doc), unloadTimer: null, updatesSinceCompaction: 0, compaction: null, claims: 0 };
    entry.ready = doc.load().then(
      () => doc,
      async (err: unknown) => {
        // Never keep or store a note that did not load: an empty one would overwrite it.
        this.entries.delete(sessionId);
        await doc.destroy();
        throw err;
      },
    );
    this.entries.set(sessionId, entry);
    return entry.ready;
  }

  private scheduleUnload(sessionId: string): void {
    const entry = this.entries.get(sessionId);
    if (!entry || entry.doc.connections.size > 0 || entry.unloadTimer || this.stopping) return;
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = null;
      void this.unload(sessionId, false);
    }, this.deps.options.unloadDelayMs);
  }

  private async unload(sessionId: string, force: boolean): Promise<void> {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
    const claims = entry.claims;
    const doc = await entry.ready.catch(() => null);
    if (!doc) return;
    await doc.persist.drain();
    // A connection may have claimed the note while it was being stored: then it stays loaded.
    if (!force && (doc.connections.size > 0 || entry.claims !== claims || this.entries.get(sessionId) !== entry)) return;
    this.entries.delete(sessionId);
    await doc.destroy();
    // Finish a compaction in progress before the process may go down, then fold what came after it.
    await entry.compaction;
    if (entry.updatesSinceCompaction > 0) await this.compact(sessionId, entry);
  }

  private noteStored(sessionId: string, count: number): void {
    const entry = this.entries.get(sessionId);
    if (!entry) return;
    entry.updatesSinceCompaction += count;
    if (entry.updatesSinceCompaction >= this.deps.options.compactAfterUpdates && !entry.compaction) {
      setImmediate(() => void this.compact(sessionId, entry));
    }
  }

  private compact(sessionId: string, entry: Entry): Promise<void> {
    if (entry.compaction) return entry.compaction;
    const compaction = this.runCompaction(sessionId, entry).finally(() => {
      entry.compaction = null;
      this.compactions.delete(compaction);
    });
    entry.compaction = compaction;
    this.compactions.add(compaction);
    return compaction;
  }

  private async runCompaction(sessionId: string, entry: Entry): Promise<void> {
    const seen = entry.updatesSinceCompaction;
    const run = async () => {
      const started = performance.now();
      const result = await compactDoc(this.deps.store, sessionId, this.deps.options.historyResolutionMs, this.deps.fold);
      if (result) {
        this.deps.log.debug('note compacted', { sessionId, ms: Math.round(performance.now() - started), n_rowsBefore: result.before.rows, n_rowsAfter: result.after.rows });
      }
    };
    try {
      await (this.deps.withCompactionLock ? this.deps.withCompactionLock(sessionId, run) : run());
      entry.updatesSinceCompaction -= seen;
    } catch (err) {
      this.deps.log.error('compaction failed; the log stays as it is', { sessionId, err });
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
