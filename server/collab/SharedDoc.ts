import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { isLocked } from '../../shared/domain/lifecycle';
import type { ServerNotice } from '../../shared/protocol/messageType';
import type { Fanout, FanoutMessage } from '../fanout/Fanout';
import type { Logger } from '../log';
import type { BindingStore, DocStore, SessionRecord, SessionStore } from '../persistence/ports';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { Connection } from './Connection';
import type { JudgeBigUpdate } from './bigUpdate';
import { applyAll } from './compaction';
import { decodeFanoutUpdate, encodeFanoutUpdate } from './fanoutUpdate';
import { PersistQueue } from './PersistQueue';
import { trackDeletions, type DeleteTally } from '../../shared/protocol/storedState';
import { stampAwareness } from './awarenessStamp';
import { decodeSnapshotMeta, knownFromMeta, type SnapshotMeta } from './snapshotMeta';
import { knownFromDoc, type KnownState, type UpdateFacts } from './updateGate';
import { WriteGate, type GateNote, type GuardedNote, type WriteGuard } from './writeGate';
import * as wire from './wire';

/** One update on its way to this process's other clients and to other processes. */
interface Relay {
  frame: Uint8Array;
  except: Connection | undefined;
  /** Null for updates that came from fan-out: they are not published again. */
  fanout: Uint8Array | null;
}

/** What one write covers: the note's state when it began, and how many relays wait on it. */
interface StoredMark {
  stateVector: Uint8Array;
  deletions: DeleteTally;
  relays: number;
}

/** What happens after a client's update was applied (labelling late entries, stamping times). */
export type AfterApply = (ctx: { conn: Connection; note: GuardedNote; facts: UpdateFacts }) => void;

/** A state vector that lists no client: its holder has nothing yet. */
const isEmptyStateVector = (sv: Uint8Array): boolean => sv.length === 1 && sv[0] === 0;

/** Where a transaction came from: persistence and fan-out depend on it. */
type Origin =
  /** `bind`: client ids this update uses for the first time, bound to the sender when it is stored. */
  | { source: 'connection'; conn: Connection; bind: number[]; writers: Set<number> }
  | { source: 'fanout'; bindings: [number, string][] }
  | { source: 'local' };

export interface SharedDocDeps {
  store: DocStore;
  /** Read when the note loads: the session record an upgrade read may be older than a lock. */
  sessions: Pick<SessionStore, 'byId'>;
  bindings: BindingStore;
  afterApply: AfterApply[];
  fanout: Fanout;
  log: Logger;
  guards: WriteGuard[];
  /** Where big updates are judged (a worker thread in the server); in line when absent. */
  judgeBigUpdate?: JudgeBigUpdate;
  /** Called after a batch of this note's updates became durable. */
  onStored?(doc: SharedDoc, count: number): void;
  /** Whether presence in this session shows carets only, no selections (a blind session before its reveal). */
  caretsOnly?(sessionId: string): boolean;
}

/**
 * One session's note in memory: the Y.Doc, its presence, its connections and its write queue.
 * Knows nothing of HTTP or sockets beyond `Connection`.
 */
export class SharedDoc implements GateNote {
  private readonly ydoc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
  readonly connections = new Set<Connection>();
  readonly persist: PersistQueue<StoredMark>;
  /** What is durably stored (state vector and deletions); sent to clients as "Saved". */
  private stored: StoredMark;
  private readonly deletions = trackDeletions(this.ydoc);
  /**
   * The stored snapshot, while it is not yet applied to the Y.Doc. A compacted note is served
   * from its stored bytes: to readers from the snapshot, to writers also from its meta (state
   * vector and delete set, decoded when a writer comes). The Y.Doc, as much work as the rest of
   * opening the note, is built when an edit or fan-out message needs it.
   */
  private unapplied: { state: Uint8Array; meta: Uint8Array | null; decoded?: SnapshotMeta | null } | null = null;
  /**
   * The stored snapshot the note was loaded from, while nothing changed since: a client that
   * holds nothing yet (every cold open) gets these bytes as they are, framed once.
   */
  private loaded: { state: Uint8Array; frame: Uint8Array | null } | null = null;
  /** Fan-out messages that arrived while the note was loading; applied once it has. */
  private beforeLoad: FanoutMessage[] | null = [];
  private relayQueue: Relay[] = [];
  private unsubscribe: (() => Promise<void>) | null = null;
  /** Which account writes under which Yjs client id (attested authorship). */
  clientAccounts = new Map<number, string>();
  private readonly gate: WriteGate;
  private sessionRecord: SessionRecord;

  constructor(
    session: SessionRecord,
    private readonly deps: SharedDocDeps,
  ) {
    this.sessionRecord = session;
    // Create the watched root types up front, so updates are checked against typed maps.
    sessionDoc(this.ydoc);
    // The server is not a participant: it has no presence of its own.
    this.awareness.setLocalState(null);
    this.stored = this.mark();
    this.gate = new WriteGate(this, { guards: deps.guards, log: deps.log, ...(deps.judgeBigUpdate ? { judgeBigUpdate: deps.judgeBigUpdate } : {}) });
    this.persist = new PersistQueue<StoredMark>(deps.store, session.id, {
      markWrite: () => this.mark(),
      onStored: (count, mark) => this.handleStored(count, mark),
      onFailed: (err, attempt) => this.handleStoreFailed(err, attempt),
      onRecovered: () => this.broadcast(wire.encodeNotice({ type: 'save-recovered' })),
    });
    this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
      this.handleAwarenessChange(change, origin),
    );
  }

  get sessionId(): string {
    return this.sessionRecord.id;
  }

  /** The newest session record seen (status, clock, group members); only ever moves forward. */
  get session(): SessionRecord {
    return this.sessionRecord;
  }

  /**
   * Takes a session record unless an equal or newer version is held: a connection whose upgrade
   * read the record before the last signature must not unlock the note for everyone.
   */
  adoptSession(record: SessionRecord): void {
    if (record.version >= this.sessionRecord.version) this.sessionRecord = record;
  }

  /** Loads stored content and subscribes to fan-out. Subscribes first, so no update falls between. */
  async load(): Promise<void> {
    this.unsubscribe = await this.deps.fanout.subscribe(this.sessionId, (m) => this.handleFanout(m));
    const fresh = await this.deps.sessions.byId(this.sessionId);
    if (fresh) this.adoptSession(fresh);
    this.clientAccounts = await this.deps.bindings.forSession(this.sessionId);
    const { snapshot, tail } = await this.deps.store.load(this.sessionId);
    if (snapshot && tail.length === 0) {
      this.unapplied = { state: snapshot.data, meta: snapshot.meta };
      this.loaded = { state: snapshot.data, frame: null };
    } else {
      this.apply([...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)]);
    }
    const early = this.beforeLoad;
    this.beforeLoad = null;
    for (const m of early ?? []) this.handleFanout(m);
  }

  /** The note's Y.Doc with everything stored applied (built here on first use). */
  get doc(): Y.Doc {
    const pending = this.unapplied;
    if (pending) {
      this.unapplied = null;
      this.apply([pending.state]);
    }
    return this.ydoc;
  }

  /**
   * The meta of the snapshot the note is still served from, if any. It is derived data: if it
   * does not decode, the note is served the slower way, from the Y.Doc.
   */
  private snapshotMeta(): SnapshotMeta | null {
    const pending = this.unapplied;
    if (!pending?.meta) return null;
    if (pending.decoded === undefined) {
      try {
        pending.decoded = decodeSnapshotMeta(pending.meta);
        this.stored = { stateVector: pending.decoded.stateVector, deletions: pending.decoded.deletions, relays: 0 };
      } catch (err) {
        pending.decoded = null;
        this.deps.log.error('stored snapshot meta could not be read; rebuilding the note instead', { sessionId: this.sessionId, err });
      }
    }
    return pending.decoded;
  }

  /** What updates are compared with: the stored snapshot's meta until the Y.Doc is built. */
  known(): KnownState {
    const meta = this.snapshotMeta();
    return meta ? knownFromMeta(meta, () => this.doc) : knownFromDoc(this.doc);
  }

  private apply(stored: Uint8Array[]): void {
    applyAll(this.ydoc, stored);
    this.stored = this.mark();
    // Listening only now: stored content is neither news for clients nor something to store
    // again, and Yjs encodes each transaction's update only for listeners (for a long note, as
    // much work as applying it).
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => this.handleDocUpdate(update, origin as Origin | null));
  }

  /** The current state, as a "Saved" message would describe it once stored. */
  private mark(): StoredMark {
    return { stateVector: Y.encodeStateVector(this.doc), deletions: this.deletions.tally(), relays: this.relayQueue.length };
  }

  /**
   * Relays an update at once, in order. The exception is an update that writes under a client id
   * for the first time: it waits until that id's binding to its author is durable. A crash then
   * never leaves other clients holding text whose author the server cannot prove; if such a client
   * sends it back after a restart, the stored binding sets it aside as someone else's, and its
   * author, who holds it unconfirmed, sends it again. While storage is failing nothing waits.
   */
  private relay(relay: Relay, waitForStore: boolean): void {
    if (this.persist.isFailing || (this.relayQueue.length === 0 && !waitForStore)) this.deliver(relay);
    else this.relayQueue.push(relay);
  }

  private deliver({ frame, except, fanout }: Relay): void {
    this.broadcast(frame, except);
    if (fanout) this.deps.fanout.publish(this.sessionId, { kind: 'update', data: fanout });
  }

  private flushRelays(count: number): void {
    for (const relay of this.relayQueue.splice(0, count)) this.deliver(relay);
  }

  addConnection(conn: Connection): void {
    this.connections.add(conn);
    // Only a writer is asked for what it holds (a reader's updates are refused anyway) and told
    // what is saved; a reader gets the note from its own sync request, without the Y.Doc built.
    if (conn.canWrite) conn.send(wire.encodeSyncStep1(this.snapshotMeta()?.stateVector ?? Y.encodeStateVector(this.doc)));
    conn.send(wire.encodeNotice(this.accessNotice(conn)));
    if (conn.canWrite) conn.send(wire.encodeSaved(this.stored));
    const states = Array.from(this.awareness.getStates().keys());
    if (states.length > 0) conn.send(wire.encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, states)));
  }

  removeConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.gate.forget(conn);
    if (conn.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(conn.awarenessClients), conn);
    }
  }

  /** Handles one decoded client frame. Throws WireError for content that does not parse. */
  receive(conn: Connection, message: wire.ClientMessage): void {
    switch (message.kind) {
      case 'sync-step1':
        wire.checkStateVector(message.stateVector);
        conn.send(this.syncStep2For(message.stateVector));
        return;
      case 'sync-update':
        this.gate.receive(conn, message.update);
        return;
      case 'awareness': {
        const stamped = stampAwareness(message.update, conn, this.connections, this.deps.caretsOnly?.(this.sessionId) ?? false);
        if (!stamped) return;
        const before = this.presenceOf(conn);
        awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, conn);
        if (this.presenceOf(conn) !== before) conn.lastActivityAt = Date.now();
        return;
      }
      case 'query-awareness':
        conn.send(wire.encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, Array.from(this.awareness.getStates().keys()))));
        return;
    }
  }

  /** What a client lacks, given its state vector: from the stored bytes while they are current. */
  private syncStep2For(stateVector: Uint8Array): Uint8Array {
    if (this.loaded && isEmptyStateVector(stateVector)) return (this.loaded.frame ??= wire.encodeSyncStep2Of(this.loaded.state));
    if (this.unapplied) return wire.encodeSyncStep2Of(Y.diffUpdate(this.unapplied.state, stateVector));
    return wire.encodeSyncStep2(this.doc, stateVector);
  }

  broadcast(frame: Uint8Array, except?: Connection): void {
    for (const c of this.connections) if (c !== except) c.send(frame);
  }

  /** Stops fan-out and frees memory; the caller has drained the write queue. */
  async destroy(): Promise<void> {
    this.persist.dispose();
    this.deletions.stop();
    await this.unsubscribe?.();
    this.awareness.destroy();
    this.ydoc.destroy();
  }

  /** The connection's presence without the awareness clock, to tell a heartbeat from a change. */
  private presenceOf(conn: Connection): string {
    return JSON.stringify(Array.from(conn.awarenessClients, (id) => this.awareness.getStates().get(id) ?? null));
  }

  /** The server's own Yjs client id in this note (its late-entry labels and receipt stamps). */
  get serverClient(): number {
    return this.ydoc.clientID;
  }

  /** Applies an update the gate judged, binding the sender to the client ids it writes first. */
  applyJudged(conn: Connection, update: Uint8Array, facts: UpdateFacts): void {
    conn.lastActivityAt = Date.now();
    const bind = [...facts.writers].filter((c) => !this.clientAccounts.has(c));
    for (const c of bind) this.clientAccounts.set(c, conn.principal.accountId);
    // Fan-out may have left parts waiting (another process's judged updates, out of order).
    const { store } = this.doc;
    const waitedBefore = store.pendingStructs !== null || store.pendingDs !== null;
    try {
      Y.applyUpdate(this.doc, update, { source: 'connection', conn, bind, writers: facts.writers } satisfies Origin);
    } catch {
      for (const c of bind) this.clientAccounts.delete(c);
      throw new wire.WireError('document update could not be applied');
    } finally {
      if (!waitedBefore) this.dropPending();
    }
    for (const effect of this.deps.afterApply) effect({ conn, note: this, facts });
  }

  /**
   * Yjs keeps what it cannot integrate yet and integrates it with a later update, unjudged. The
   * gate lets only complete updates through, so there is never anything here; if there were, it
   * is dropped rather than let in later.
   */
  private dropPending(): void {
    const { store } = this.ydoc;
    if (store.pendingStructs === null && store.pendingDs === null) return;
    this.deps.log.error('update left pending parts after the gate judged it complete; dropped them', { sessionId: this.sessionId });
    store.pendingStructs = null;
    store.pendingDs = null;
  }

  /** Changes the note on the server's own authority (e.g. late-entry labels). */
  transactLocal(fn: () => void): void {
    this.doc.transact(fn, { source: 'local' } satisfies Origin);
  }

  private handleDocUpdate(update: Uint8Array, origin: Origin | null): void {
    this.loaded = null;
    const from = origin?.source === 'connection' ? origin.conn : undefined;
    // Updates from other processes are stored here too: "Saved" covers everything this process
    // shows, and the process that sent one may die before storing it. Duplicates cost only bytes.
    const bindings: [number, string][] =
      origin?.source === 'connection' ? origin.bind.map((c) => [c, origin.conn.principal.accountId]) : origin?.source === 'fanout' ? origin.bindings : [];
    this.persist.enqueue({ at: Date.now(), data: update, accountId: from?.principal.accountId ?? null, bindings });
    const writers = origin?.source === 'connection' ? origin.writers : [];
    const fanout = origin?.source === 'fanout' || !this.deps.fanout.shared ? null : encodeFanoutUpdate(update, this.bindingsOf(writers));
    this.relay({ frame: wire.encodeUpdate(update), except: from, fanout }, origin?.source === 'connection' && origin.bind.length > 0);
  }

  /** The known bindings of some client ids (all of them when `clients` is omitted). */
  bindingsOf(clients?: Iterable<number>): [number, string][] {
    if (!clients) return Array.from(this.clientAccounts);
    return Array.from(clients, (c) => [c, this.clientAccounts.get(c)] as const).filter((b): b is [number, string] => b[1] !== undefined);
  }

  private handleAwarenessChange(
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void {
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    // Origins here: a Connection, a fan-out marker, or y-protocols' own strings ('local', 'timeout').
    const from = origin instanceof Connection ? origin : undefined;
    this.broadcast(wire.encodeAwareness(update), from);
    const fromFanout = typeof origin === 'object' && origin !== null && (origin as Partial<Origin>).source === 'fanout';
    if (!fromFanout) {
      this.deps.fanout.publish(this.sessionId, { kind: 'awareness', data: update });
    }
  }

  private handleFanout(message: FanoutMessage): void {
    if (this.beforeLoad) {
      this.beforeLoad.push(message);
      return;
    }
    try {
      if (message.kind === 'update') {
        const { update, bindings } = decodeFanoutUpdate(message.data);
        // First binding wins, as in storage; another process's view never overrides ours.
        for (const [client, account] of bindings) if (!this.clientAccounts.has(client)) this.clientAccounts.set(client, account);
        Y.applyUpdate(this.doc, update, { source: 'fanout', bindings } satisfies Origin);
        this.gate.release();
      } else {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.data, { source: 'fanout' });
      }
    } catch (err) {
      this.deps.log.error('fan-out message could not be applied', { sessionId: this.sessionId, err });
    }
  }

  private handleStored(count: number, mark: StoredMark): void {
    this.stored = mark;
    this.flushRelays(mark.relays);
    // Only someone who may write has a save state to show; readers' badges say "Read-only".
    const saved = wire.encodeSaved(mark);
    for (const c of this.connections) if (c.canWrite) c.send(saved);
    this.deps.onStored?.(this, count);
  }

  private handleStoreFailed(err: unknown, attempt: number): void {
    this.deps.log.error('storing note updates failed; keeping them in memory and retrying', {
      sessionId: this.sessionId, err, n_attempt: attempt, count: this.persist.size,
    });
    this.flushRelays(this.relayQueue.length);
    if (attempt === 1) {
      this.broadcast(wire.encodeNotice({ type: 'save-failed', message: 'The server could not store the latest edits. They are kept and retried.' }));
    }
  }

  private accessNotice(conn: Connection): ServerNotice {
    const canWrite = conn.canWrite && !isLocked(this.session.status);
    const reason = !conn.canWrite
      ? conn.principal.role === 'supervisor' ? 'Supervisors read the note; only its therapists write it.' : 'This note cannot be changed.'
      : 'The note is signed and locked. Add an addendum to add anything.';
    return { type: 'access', canWrite, role: conn.principal.role, ...(canWrite ? {} : { reason }) };
  }
}
