import type { HeldBytes } from '../ops/heldBytes';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/protocol/closeCodes';
import { PROTOCOL_VERSION } from '../../shared/protocol/messageType';
import type { Fanout } from '../fanout/Fanout';
import { createLocalCompactionLock, type CompactionLock } from '../locks/CompactionLock';
import type { Logger } from '../log';
import type { BindingStore, DocStore, SessionRecord, SessionStore } from '../persistence/ports';
import type { JudgeBigUpdate } from './bigUpdate';
import type { Fold } from './compaction';
import { CompactionSchedule } from './compactionSchedule';
import { Connection, type Principal } from './Connection';
import { FrameIntake, type IntakeDeps } from './frameIntake';
import { TurnShare } from './turnShare';
import { keepAlive, type LivenessOptions } from './liveness';
import { HeldBudget } from './heldUpdates';
import { SharedDoc } from './SharedDoc';
import { discardNote, type NoteEntry } from './noteEntries';
import type { AfterApply, WriteGuard } from './writeGate';
import { encodeNotice } from './wire';
import type { StallWatch } from './stallWatch';

export interface CollabOptions extends LivenessOptions {
  unloadDelayMs: number;
  compactAfterUpdates: number;
  historyResolutionMs: number;
  maxBufferedBytes: number;
  /** Largest message applied; a larger one closes its connection with `MessageOverLimit`. */
  maxMessageBytes: number;
}

/** `onOverLimit`, `onServerError`: as the frame intake's (IntakeDeps). */
export interface CollabDeps extends Pick<IntakeDeps, 'onOverLimit' | 'onServerError'> {
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
  /** Who may compact a note now; default: this process alone compacts (createLocalCompactionLock). */
  compactionLock?: CompactionLock;
  /** Bytes queued for peers that do not read, per account (queuedLimits in Connection.ts). */
  queued?: HeldBytes;
  /** Observability hooks; all optional. */
  onConnectionOpened?(conn: Connection): void;
  onConnectionClosed?(conn: Connection): void;
  /** A peer was dropped for not answering a ping. */
  onUnanswered?(conn: Connection): void;
  /** Whether presence in a session shows carets only, no selections (see `SharedDocDeps`). */
  caretsOnly?(sessionId: string): boolean;
  stalls?: StallWatch; // see SharedDocDeps
}


/**
 * Owns every loaded note and every sync connection. Transport-agnostic beyond `ws` sockets
 * handed to it already authenticated: the HTTP upgrade decides who gets here.
 */
export class CollabServer {
  private readonly entries = new Map<string, NoteEntry>();
  private readonly open = new Set<Connection>();
  private readonly turns = new TurnShare();
  private readonly compactions: CompactionSchedule;
  private readonly heldBudget = new HeldBudget(); // held updates' bytes per account, across every note here
  private stopping = false;
  private readonly stopLiveness: () => void;

  constructor(private readonly deps: CollabDeps) {
    const { compactAfterUpdates, historyResolutionMs } = deps.options;
    this.compactions = new CompactionSchedule({
      store: deps.store, log: deps.log, compactAfterUpdates, historyResolutionMs,
      ...(deps.fold ? { fold: deps.fold } : {}),
      lock: deps.compactionLock ?? createLocalCompactionLock(),
    });
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
   * it open, and keeping it loaded until `change` resolves). Its writes reach open clients like any
   * other change (and other processes through the fan-out), and are queued for storage like theirs.
   * It does not wait for the note's queue: `change` stores what must be durable before it answers
   * (the reveal commits its merge with its mark). Waiting for the queue held the request for as long
   * as the note's writes failed, however long an outage lasted (operator fault test, 6 Dec).
   */
  async withNote<T>(session: SessionRecord, change: (note: SharedDoc) => T | Promise<T>): Promise<T> {
    const note = await this.acquire(session);
    try {
      note.adoptSession(session);
      return await change(note);
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
  handleConnection(ws: WebSocket, principal: Principal, session: SessionRecord, canWrite: boolean, deviceClients: readonly number[] = []): void {
    const sessionId = session.id;
    const queued = this.deps.queued?.holder(`account:${principal.accountId}`, () => conn.terminate()) ?? null;
    const conn: Connection = new Connection(ws, principal, sessionId, canWrite, this.deps.options.maxBufferedBytes, deviceClients, queued);
    this.open.add(conn);
    const { heartbeatMs, maxMessageBytes } = this.deps.options;
    conn.send(encodeNotice({ type: 'hello', protocol: PROTOCOL_VERSION, heartbeatMs, maxMessageBytes }));
    this.deps.onConnectionOpened?.(conn);
    let doc: SharedDoc | null = null;
    const { log, onOverLimit, onServerError } = this.deps;
    const intake = new FrameIntake(conn, ws, { log, maxMessageBytes, turns: this.turns, ...(onOverLimit && { onOverLimit }), ...(onServerError && { onServerError }) });
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
        intake.start(loaded);
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
    await this.compactions.idle();
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
    const compaction = this.compactions.forNote(sessionId);
    const doc: SharedDoc = new SharedDoc(session, {
      store: this.deps.store, sessions: this.deps.sessions, bindings: this.deps.bindings,
      fanout: this.deps.fanout,
      log: this.deps.log,
      guards: this.deps.guards,
      afterApply: this.deps.afterApply, heldBudget: this.heldBudget,
      onStored: (count) => compaction.stored(count), compactStored: () => compaction.now(), onRefused: (count, reason) => discardNote(this.entries, doc, this.deps.log, count, reason), ...(this.deps.stalls ? { stalls: this.deps.stalls } : {}), ...(this.deps.onServerError && { onServerError: this.deps.onServerError }),
      ...(this.deps.caretsOnly ? { caretsOnly: this.deps.caretsOnly } : {}),
      ...(this.deps.judgeBigUpdate ? { judgeBigUpdate: this.deps.judgeBigUpdate } : {}),
    });
    const entry: NoteEntry = { doc, ready: Promise.resolve(doc), unloadTimer: null, compaction, claims: 0 };
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
    await entry.compaction.finish();
  }
}
