import * as Y from 'yjs';
import type { Fanout, FanoutMessage } from '../fanout/Fanout';
import type { Logger } from '../log';
import type { BindingStore, DocStore, SessionRecord, SessionStore } from '../persistence/ports';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { isLocked } from '../../shared/domain/lifecycle';
import { trackDeletions } from '../../shared/protocol/storedState';
import { accessNotice } from './accessNotice';
import { applyJudged } from './applyStage';
import type { Connection } from './Connection';
import { applyAll } from './compaction';
import { storedForOpen } from './coldOpen';
import { DurabilityStage, type DurabilityDeps } from './durabilityStage';
import type { StallWatch } from './stallWatch';
import { bindingsOf, decodeFanoutUpdate, encodeFanoutUpdate } from './fanoutUpdate';
import { pendingWatch } from './pendingWatch';
import { FanOutStage } from './fanOutStage';
import type { Origin } from './origins';
import { NotePresence } from './presence';
import { knownFromMeta, type SnapshotMeta } from './snapshotMeta';
import { StoredSnapshot } from './storedSnapshot';
import { SyncAnswers, WholeNote } from './syncAnswer';
import { takenIdsNotice } from './takenIds';
import type { KnownState, UpdateFacts } from './updateFacts';
import { knownFromDoc } from './updateGate';
import { WriteGate, type GateNote, type WriteGateDeps } from './writeGate';
import * as wire from './wire';

/** The write gate's deps, and what the note needs besides. */
export interface SharedDocDeps extends Pick<WriteGateDeps, 'guards' | 'afterApply' | 'heldBudget' | 'judgeBigUpdate' | 'onServerError'> {
  store: DocStore;
  /** Read when the note loads: the session record an upgrade read may be older than a lock. */
  sessions: Pick<SessionStore, 'byId'>;
  bindings: BindingStore;
  fanout: Fanout;
  log: Logger;
  /** Called after a batch of this note's updates became durable, with how many entries it had. */
  onStored?(count: number): void;
  compactStored?(): Promise<void>; // a long log at cold open: see coldOpen.ts
  stalls?: StallWatch; // see DurabilityDeps
  onRefused: DurabilityDeps['onRefused']; // storage refused edits for good
  /** Whether presence in this session shows carets only, no selections (a blind session before its reveal). */
  caretsOnly?(sessionId: string): boolean;
}

/**
 * One session's note in memory, and the path a client's update walks through it: decode (wire) → judge (WriteGate:
 * updateGate and the guards) → apply (applyStage) → persist and acknowledge (DurabilityStage) → fan out (FanOutStage).
 * Cold open is StoredSnapshot, presence NotePresence. Knows nothing of HTTP or sockets beyond `Connection`.
 */
export class SharedDoc implements GateNote {
  private readonly ydoc = new Y.Doc();
  readonly connections = new Set<Connection>();
  private readonly deletions = trackDeletions(this.ydoc);
  private readonly fanOut: FanOutStage;
  private readonly durability: DurabilityStage;
  private readonly presence: NotePresence;
  readonly wholeNote = new WholeNote(this.ydoc); // for sync answers and judging big updates
  private readonly answers = new SyncAnswers(this.wholeNote);
  /** The stored snapshot the note was opened from, while nothing changed since. */
  private snapshot: StoredSnapshot | null = null;
  /** Fan-out messages held while the note loads (released at the end of `load`) or by `holdFanout`; applied after. */
  private heldFanout: FanoutMessage[] | null = [];
  private unsubscribe: (() => Promise<void>) | null = null;
  /** Which account writes under which Yjs client id (attested authorship). */
  clientAccounts = new Map<number, string>();
  private readonly gate: WriteGate;
  private readonly pending = pendingWatch(() => this.ydoc, () => ({ sessionId: this.sessionId, ...this.deps }));

  constructor(private sessionRecord: SessionRecord, private readonly deps: SharedDocDeps) {
    sessionDoc(this.ydoc); // the watched root types up front, so updates are checked against typed maps
    const sessionId = sessionRecord.id;
    this.fanOut = new FanOutStage({ sessionId, connections: this.connections, fanout: deps.fanout });
    this.presence = new NotePresence({ doc: this.ydoc, sessionId, connections: this.connections, fanOut: this.fanOut, announcements: { store: deps.bindings, log: deps.log }, ...(deps.caretsOnly ? { caretsOnly: deps.caretsOnly } : {}) });
    this.durability = new DurabilityStage({
      store: deps.store, sessionId, log: deps.log, connections: this.connections, fanOut: this.fanOut,
      current: () => ({ stateVector: Y.encodeStateVector(this.doc), deletions: this.deletions.tally() }),
      ...(deps.onStored ? { onStored: deps.onStored } : {}), ...(deps.stalls ? { stalls: deps.stalls } : {}), onRefused: deps.onRefused,
    });
    this.gate = new WriteGate(this, { ...deps, announcerOf: (clientId) => this.presence.announcerOf(clientId) });
  }

  get sessionId(): string { return this.sessionRecord.id; }

  /** The newest session record seen (status, clock, group members); only ever moves forward. */
  get session(): SessionRecord { return this.sessionRecord; }

  get awareness(): NotePresence['awareness'] { // presence in this note (y-protocols awareness)
    return this.presence.awareness;
  }

  /** The write queue: `drain()` resolves once everything changed so far is stored. */
  get persist(): DurabilityStage['queue'] {
    return this.durability.queue;
  }

  /** Takes a session record unless it holds one as new: an upgrade's older read must not unlock a signed note. */
  adoptSession(record: SessionRecord): void {
    if (record.version >= this.sessionRecord.version) this.sessionRecord = record;
  }

  /** Loads stored content and subscribes to fan-out. Subscribes first, so no update falls between. */
  async load(): Promise<void> {
    this.unsubscribe = await this.deps.fanout.subscribe(this.sessionId, (m) => this.handleFanout(m));
    const fresh = await this.deps.sessions.byId(this.sessionId);
    if (fresh) this.adoptSession(fresh);
    this.clientAccounts = await this.deps.bindings.forSession(this.sessionId);
    this.presence.remember(await this.deps.bindings.announced(this.sessionId));
    const { snapshot, tail } = await storedForOpen(this.deps.store, this.sessionId, this.deps.compactStored);
    if (snapshot && tail.length === 0) this.snapshot = new StoredSnapshot(snapshot.data, snapshot.meta, snapshot.uptoSeq);
    else this.apply([...(snapshot ? [snapshot.data] : []), ...tail.map((e) => e.data)]);
    this.holdFanout()();
  }

  holdFanout(): () => void {
    this.heldFanout ??= [];
    return () => {
      const held = this.heldFanout ?? [];
      this.heldFanout = null;
      for (const m of held) this.handleFanout(m);
    };
  }

  /** The note's Y.Doc with everything stored applied (finished here on first use, see StoredSnapshot). */
  get doc(): Y.Doc {
    if (this.snapshot?.complete(this.ydoc)) this.apply([]);
    return this.ydoc;
  }

  /** Whether the Y.Doc is being built from storage (writers' updates wait for it: WriteGate). */
  building(): boolean {
    return this.snapshot?.building ?? false;
  }

  /** The Y.Doc's build from storage ended (`err`: gave up): the updates that waited for it go in now. */
  private built(err: unknown): void {
    if (err === undefined) void this.doc;
    else this.deps.log.error('stored history could not be read; the note is built from its snapshot', { sessionId: this.sessionId, err });
    this.gate.release();
  }

  /** The meta of the snapshot the note is still served from, if any (see StoredSnapshot.meta). */
  private snapshotMeta(): SnapshotMeta | null {
    return this.snapshot?.meta(
      (meta) => this.durability.adopt({ stateVector: meta.stateVector, deletions: meta.deletions }),
      (err) => this.deps.log.error('stored snapshot meta could not be read; rebuilding the note instead', { sessionId: this.sessionId, err }),
    ) ?? null;
  }

  /** What updates are compared with: the stored snapshot's meta until the Y.Doc is built. */
  known(): KnownState {
    const meta = this.snapshotMeta();
    return meta ? knownFromMeta(meta, () => this.doc) : knownFromDoc(this.doc);
  }

  /** Applies stored content (none when StoredSnapshot built it), then starts listening. */
  private apply(stored: Uint8Array[]): void {
    if (stored.length > 0) applyAll(this.ydoc, stored);
    this.durability.adopt({ stateVector: Y.encodeStateVector(this.ydoc), deletions: this.deletions.tally() });
    // Only now: stored content is no news to clients or storage, and Yjs encodes each transaction's
    // update only for listeners (for a long note, as much work as applying it).
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => this.handleDocUpdate(update, origin as Origin | null));
  }

  addConnection(conn: Connection): void {
    this.connections.add(conn);
    for (const frame of takenIdsNotice(conn, (c) => this.clientAccounts.get(c) ?? this.presence.announcerOf(c))) conn.send(frame);
    // Only a writer is asked for what it holds (a reader's updates are refused anyway) and told
    // what is saved; a reader gets the note from its own sync request, without the Y.Doc built.
    if (conn.canWrite) conn.send(wire.encodeSyncStep1(this.snapshotMeta()?.stateVector ?? Y.encodeStateVector(this.doc)));
    conn.send(wire.encodeNotice(accessNotice(conn, this.session.status)));
    if (conn.canWrite) conn.send(wire.encodeSaved(this.durability.saved));
    if (conn.canWrite) this.snapshot?.prebuild(this.ydoc, () => this.deps.store.readLog(this.sessionId), (err) => this.built(err));
    const everyone = this.presence.everyone();
    if (everyone) conn.send(everyone);
  }

  removeConnection(conn: Connection): void {
    if (!this.connections.delete(conn)) return;
    this.gate.forget(conn);
    this.presence.remove(conn);
  }

  /** Handles one decoded client frame. Throws WireError for content that does not parse. */
  receive(conn: Connection, message: wire.ClientMessage): void {
    if (message.kind === 'sync-update') return this.gate.receive(conn, message.update);
    if (message.kind === 'awareness') return this.presence.receive(conn, message.update);
    if (message.kind === 'query-awareness') return conn.send(this.presence.query(conn));
    const meta = this.snapshotMeta();
    const held = wire.checkStateVector(message.stateVector, (meta ? wire.clientsNamed(meta.stateVector) : this.ydoc.store.clients.size) + wire.EXTRA_STATE_VECTOR_CLIENTS);
    for (const frame of this.answers.answer(conn, held, message.stateVector, meta && this.snapshot ? this.snapshot.forSync(meta) : this.answers.ofDoc(this.doc))) conn.send(frame);
  }

  /** Stops fan-out and frees memory; the caller has drained the write queue. */
  async destroy(): Promise<void> {
    this.snapshot?.stop();
    this.persist.dispose();
    this.deletions.stop();
    await this.unsubscribe?.();
    this.pending.stop();
    this.presence.destroy();
    this.ydoc.destroy();
  }

  /** The server's own Yjs client id in this note (its late-entry labels and receipt stamps). */
  get serverClient(): number {
    return this.ydoc.clientID;
  }

  /** The apply stage (applyStage.ts), on this note's Y.Doc and bindings. */
  applyJudged(conn: Connection, update: Uint8Array, facts: UpdateFacts): void {
    applyJudged({ doc: this.doc, clientAccounts: this.clientAccounts, sessionId: this.sessionId, log: this.deps.log }, conn, update, facts);
  }

  /** Changes the note on the server's own authority (e.g. late-entry labels). */
  transactLocal(fn: () => void): void {
    this.doc.transact(fn, { source: 'local' } satisfies Origin);
  }

  /** Every change, whatever its source, goes to the persist stage and then to the fan-out stage. */
  private handleDocUpdate(update: Uint8Array, origin: Origin | null): void {
    this.snapshot = null;
    const from = origin?.source === 'connection' ? origin.conn : undefined;
    // Updates from other processes are stored here too: "Saved" covers everything this process
    // shows, and the process that sent one may die before storing it. Duplicates cost only bytes.
    const bindings: [number, string][] =
      origin?.source === 'connection' ? origin.bind.map((c) => [c, origin.conn.principal.accountId]) : origin?.source === 'fanout' ? origin.bindings : [];
    this.durability.persist({ at: Date.now(), data: update, accountId: from?.principal.accountId ?? null, bindings });
    const writers = origin?.source === 'connection' ? origin.writers : [];
    const fanout = origin?.source === 'fanout' || !this.deps.fanout.shared ? null : encodeFanoutUpdate(update, bindingsOf(this.clientAccounts, writers));
    this.fanOut.relay({ frame: wire.encodeUpdate(update), except: from, fanout }, origin?.source === 'connection' && origin.bind.length > 0, this.persist.isFailing); // a first write under an id waits for store
  }

  private handleFanout(message: FanoutMessage): void {
    if (this.heldFanout) return void this.heldFanout.push(message);
    try {
      if (message.kind === 'awareness') return this.presence.receiveFanout(message.data);
      if (isLocked(this.session.status)) return; // all it lacks is words typed after the lock where that was not known (re-check, 4 Dec)
      const { update, bindings } = decodeFanoutUpdate(message.data);
      // First binding wins, as in storage; another process's view never overrides ours.
      for (const [client, account] of bindings) if (!this.clientAccounts.has(client)) this.clientAccounts.set(client, account);
      Y.applyUpdate(this.doc, update, { source: 'fanout', bindings } satisfies Origin);
      this.pending.check();
      this.gate.release();
    } catch (err) {
      this.deps.log.error('fan-out message could not be applied', { sessionId: this.sessionId, err });
    }
  }
}
