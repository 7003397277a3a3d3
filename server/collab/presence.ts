import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Logger } from '../log';
import type { BindingStore } from '../persistence/sessionPorts';
import { AnnouncementKeeper } from './announcementKeeper';
import { dropForeignClaims, stampAwareness, stampedAccount } from './awarenessStamp';
import { Connection } from './Connection';
import type { FanOutStage } from './fanOutStage';
import * as wire from './wire';

/** Marks awareness changes that came from another process: they are not published again. */
const FROM_FANOUT = { source: 'fanout' } as const;

/**
 * Client ids one account's presence may reserve in one note: one per page load of it, far more
 * than a clinician opens. Past it an id is shown but neither reserved nor kept: a member
 * reconnecting in a loop with new ids grew the kept announcements without end (attack5, 1 Dec).
 */
export const MAX_ANNOUNCED_PER_ACCOUNT = 1000;

export interface PresenceDeps {
  doc: Y.Doc;
  sessionId: string;
  connections: ReadonlySet<Connection>;
  fanOut: FanOutStage;
  /** Whether presence in this session shows carets only, no selections (a blind session before its reveal). */
  caretsOnly?(sessionId: string): boolean;
  /** Where the client ids announced here are kept beyond this load of the note (BindingStore.announce). */
  announcements?: { store: Pick<BindingStore, 'announce'>; log: Logger };
}

/** Presence queries answered per connection (see NotePresence.query). */
export const MAX_PRESENCE_QUERIES = 4;

/**
 * Who is in a note and where their caret is: y-protocols awareness, with every client's entry
 * stamped with the identity the server attested, relayed to the note's connections and to other
 * processes. The server is not a participant: it has no presence of its own.
 */
export class NotePresence {
  readonly awareness: awarenessProtocol.Awareness;
  /** Whether the update being applied changed a state, not only its clock (set by 'change'). */
  private changedState = false;
  /** The ids of the connection whose update is being applied that had a state before it. */
  private presentBefore: ReadonlySet<number> = new Set();
  /** The stamped update being applied, and how many entries it holds. */
  private applying: { conn: Connection; update: Uint8Array; entries: number } | null = null;
  /**
   * Every Yjs client id announced in this note's presence (here or by another process), with the
   * account that announced it first. A page announces its id before its first edit; a co-therapist
   * who read it there must not write under it (writeGate's foreign writers) while the page is
   * offline and its presence gone, nor after the note was unloaded or on another process: a
   * connection's announcements here are kept in storage (deps.announcements) and read back at load
   * (remember). One entry per page load.
   */
  private readonly queries = new WeakMap<Connection, number>();
  private readonly announced = new Map<number, string>();
  /** How many of `announced` each account holds (MAX_ANNOUNCED_PER_ACCOUNT), and who reached it. */
  private readonly announcedBy = new Map<string, number>();
  private readonly overAnnounced = new Set<string>();
  /** Where the announcements made here are kept (deps.announcements). */
  private readonly kept: AnnouncementKeeper | undefined;

  constructor(private readonly deps: PresenceDeps) {
    this.kept = deps.announcements && new AnnouncementKeeper(deps.sessionId, deps.announcements);
    this.awareness = new awarenessProtocol.Awareness(deps.doc);
    this.awareness.setLocalState(null);
    // Awareness already compares each new state with the one it replaces, and says 'change' only
    // when one differs: what tells a heartbeat from a move, without serialising every state twice
    // per update (that was 3 % of the server's busy time at R = 150).
    // A departure of a state that was already gone (timed out) is a change to Awareness, not to us.
    this.awareness.on('change', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      if (added.length > 0 || updated.length > 0 || removed.some((id) => this.presentBefore.has(id))) this.changedState = true;
      for (const id of added) this.reserve(id);
    });
    this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
      this.handleChange(change, origin),
    );
  }

  /** Every present client's state, framed; null when nobody is present. */
  everyone(): Uint8Array | null {
    const states = Array.from(this.awareness.getStates().keys());
    return states.length > 0 ? this.frameOf(states) : null;
  }

  /**
   * Every present client's state, framed, even when that is nobody: the answer to `conn`'s query.
   * Throws WireError past MAX_PRESENCE_QUERIES of them on one connection (the page gets everyone's
   * state when it connects and never asks; one supervisor's 100,000 one-byte queries had 2.95 GB
   * sent back, attack, 4 Dec).
   */
  query(conn: Connection): Uint8Array {
    const asked = (this.queries.get(conn) ?? 0) + 1;
    if (asked > MAX_PRESENCE_QUERIES) throw new wire.WireError(`presence queried ${asked} times on one connection`);
    this.queries.set(conn, asked);
    return this.frameOf(Array.from(this.awareness.getStates().keys()));
  }

  /** Applies a client's awareness update; a change (not a heartbeat) counts as activity. */
  receive(conn: Connection, update: Uint8Array): void {
    // An id is held by the account whose state shows it now, else by the one that announced it
    // first: a co-therapist who claimed it while its page was away hid that page's presence
    // when it came back under it, as stock providers do (attack, 2 Dec).
    const stamped = stampAwareness(update, conn, this.deps.connections, this.deps.caretsOnly?.(this.deps.sessionId) ?? false, (id) =>
      stampedAccount(this.awareness.getStates().get(id) ?? null) ?? this.announcerOf(id),
    );
    if (!stamped) return;
    const states = this.awareness.getStates();
    this.presentBefore = new Set(Array.from(conn.awarenessClients).filter((id) => states.has(id)));
    this.changedState = false;
    this.applying = { conn, update: stamped, entries: decoding.readVarUint(decoding.createDecoder(stamped)) };
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped, conn);
    } finally {
      this.applying = null;
    }
    if (this.changedState) conn.lastActivityAt = Date.now();
  }

  /** Applies presence that another process published, but not claims on ids announced here for someone else. */
  receiveFanout(update: Uint8Array): void {
    let kept: Uint8Array | null;
    try {
      kept = dropForeignClaims(update, (id) => this.localHolder(id));
    } catch {
      // Another process stamped it, so it is well formed; if not, it is not presence to show.
      return;
    }
    if (kept) awarenessProtocol.applyAwarenessUpdate(this.awareness, kept, FROM_FANOUT);
  }

  /** The account whose presence first announced `clientId` in this note, if any did. */
  announcerOf(clientId: number): string | null {
    return this.announced.get(clientId) ?? null;
  }

  /** Takes the announcements kept in storage (they came first: storage keeps the first of each id). */
  remember(stored: ReadonlyMap<number, string>): void {
    for (const [clientId, account] of stored) this.announce(clientId, account);
  }

  private announce(clientId: number, account: string): void {
    if (this.announced.has(clientId)) return;
    this.announced.set(clientId, account);
    this.announcedBy.set(account, (this.announcedBy.get(account) ?? 0) + 1);
  }

  private reserve(clientId: number): void {
    const account = stampedAccount(this.awareness.getStates().get(clientId) ?? null);
    if (account === null || this.announced.has(clientId)) return;
    if ((this.announcedBy.get(account) ?? 0) >= MAX_ANNOUNCED_PER_ACCOUNT) {
      if (!this.overAnnounced.has(account)) {
        this.overAnnounced.add(account);
        this.deps.announcements?.log.warn('an account announced more presence ids in one note than pages load; further ones are not reserved', { sessionId: this.deps.sessionId, accountId: account, count: MAX_ANNOUNCED_PER_ACCOUNT });
      }
      return;
    }
    this.announce(clientId, account);
    // Announced by a connection here (not relayed from another process, which keeps its own).
    if (this.applying) this.kept?.add(clientId, account, Date.now());
  }

  /** The account of the connection here that announced `clientId`, if one did. */
  private localHolder(clientId: number): string | null {
    for (const c of this.deps.connections) if (c.awarenessClients.has(clientId)) return c.principal.accountId;
    return null;
  }

  /** Removes what a connection that left announced. */
  remove(conn: Connection): void {
    if (conn.awarenessClients.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(conn.awarenessClients), conn);
  }

  destroy(): void {
    this.kept?.stop();
    this.awareness.destroy();
  }

  private frameOf(clients: number[]): Uint8Array {
    return wire.encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  private handleChange({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    const changed = added.concat(updated, removed);
    if (changed.length === 0) return;
    // When every entry of a stamped update went in, it already is the update to relay: the same
    // ids, clocks and state strings that encoding the applied states again would write.
    const { applying } = this;
    const update = applying && origin === applying.conn && changed.length === applying.entries ? applying.update : awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    // Origins here: a Connection, the fan-out marker, or y-protocols' own strings ('local', 'timeout').
    this.deps.fanOut.broadcast(wire.encodeAwareness(update), origin instanceof Connection ? origin : undefined);
    if (origin !== FROM_FANOUT) this.deps.fanOut.publish({ kind: 'awareness', data: update });
  }
}
