import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Logger } from '../log';
import type { BindingStore, ClockClaim } from '../persistence/ports';
import { MAX_WAITING_PER_CONNECTION } from './bigUpdateLane';
import type { Connection } from './Connection';
import type { KnownState, UpdateFacts } from './updateFacts';
import { WireError } from './wire';

/** How long a copy waits for the content of clocks granted to another process before claiming them over it. */
export const TAKEOVER_MS = 5_000;

/** What the gate may do with an update's new items (ClockClaims.check). */
export type ClaimCheck = 'granted' | 'claiming' | 'taken';

/**
 * Which Yjs clocks of a note this process may take in, when several processes serve it. A Yjs
 * document drops an item whose client id and clock it already has, whatever its content: if two
 * processes each took in different content under the same id and clock (a member's raw socket
 * sends one version to each), each would drop the other's from fan-out, and the clinicians on
 * one would read and sign a note the others never see. So before a client's new items go in, the
 * shared store grants their clocks to this process (BindingStore.claimClocks); the other
 * process's claim on them fails, and its copy waits until fan-out brings the granted content,
 * against which it then changes nothing.
 *
 * A process granted clocks may die before its content was stored or fanned out (a crash between
 * the grant and the commit): the client then sends the same edits to another process, which would
 * wait for them for ever. So a copy that waited TAKEOVER_MS for a grant's content claims the same
 * clocks over it. The one case this leaves open is a process that is alive, took the content in,
 * and for all that time could reach neither the store nor the fan-out: its own clients then hold
 * what the others never get.
 *
 * One claim is in flight at a time per note, with every range asked for meanwhile gathered for
 * the next. An update whose claim is in flight waits here with every update received after it, in
 * order; each is received again once the claim has ended. On one process alone (no shared fan-out)
 * nothing is claimed: its Y.Doc is the only place content goes in.
 */
export class ClockClaims {
  /** Per client id, the end of the clocks granted to this process. */
  private readonly granted = new Map<number, number>();
  /**
   * Per client id, the clock a claim was refused from and when: asked again once the note moved
   * past it, or over the other grant once TAKEOVER_MS passed.
   */
  private readonly refused = new Map<number, { from: number; at: number }>();
  private takeoverTimer: NodeJS.Timeout | null = null;
  /** Ranges asked for while a claim was in flight: the next claim. */
  private wanted = new Map<number, ClockClaim>();
  /** The claim in flight, if any. */
  private asking: ClockClaim[] | null = null;
  /** Updates received while a claim they need, or one before them, is in flight. */
  private waiting: { conn: Connection; update: Uint8Array }[] = [];
  private stopped = false;

  constructor(
    private readonly deps: {
      sessionId: string;
      store: Pick<BindingStore, 'claimClocks'>;
      /**
       * This process in the store's grants (Fanout.instanceId): a claim whose answer was lost (the
       * connection reset after the commit), or made before the note was unloaded and loaded again,
       * is granted again to the same owner, instead of waiting for a takeover.
       */
      owner: string;
      log: Logger;
      /** The write gate: what waited is received again, and held updates judged again, after a claim. */
      gate: { receive(conn: Connection, update: Uint8Array): void; release(): void };
      /** Connections with updates the gate holds (closed with the waiting ones when storage fails). */
      waitingConnections(): Connection[];
    },
  ) {}

  /** Whether updates wait for a claim: every update received now waits behind them. */
  get busy(): boolean {
    return this.waiting.length > 0;
  }

  /** Queues an update behind a claim in flight, within the bounds a big update's queue has. */
  wait(conn: Connection, update: Uint8Array): void {
    const mine = this.waiting.filter((w) => w.conn === conn);
    if (mine.length >= MAX_WAITING_PER_CONNECTION.updates || mine.reduce((n, w) => n + w.update.byteLength, update.byteLength) > MAX_WAITING_PER_CONNECTION.bytes) {
      this.deps.log.warn('too many changes waiting for their clocks; connection closed', { sessionId: this.deps.sessionId, connectionId: conn.id, code: CloseCode.Busy });
      conn.close(CloseCode.Busy, 'too many changes waiting; send them again after reconnecting');
      return;
    }
    this.waiting.push({ conn, update });
  }

  /**
   * Whether the new items of a complete update may go in now: `granted`, or `claiming` (a claim
   * was asked for; `settled` follows), or `taken` (another process was granted them and the note
   * has not had its content yet: wait for fan-out).
   */
  check(known: KnownState, facts: UpdateFacts): ClaimCheck {
    const ends = new Map<number, number>();
    for (const r of facts.inserted) ends.set(r.client, Math.max(ends.get(r.client) ?? 0, r.clock + r.len));
    let result: ClaimCheck = 'granted';
    for (const [client, to] of ends) {
      const from = Math.max(known.clock(client), this.granted.get(client) ?? 0);
      if (to <= from || (this.granted.get(client) ?? 0) >= to) continue;
      const refused = this.refused.get(client);
      const takeover = refused?.from === from && Date.now() - refused.at >= TAKEOVER_MS;
      if (refused?.from === from && !takeover) {
        result = 'taken';
        continue;
      }
      if (result === 'granted') result = 'claiming';
      if (this.asking?.some((c) => c.client === client && c.to >= to)) continue;
      const asked = this.wanted.get(client);
      this.wanted.set(client, { client, from: Math.min(asked?.from ?? from, from), to: Math.max(asked?.to ?? to, to), ...(takeover ? { takeover } : {}) });
    }
    if (result === 'claiming') this.send();
    return result;
  }

  private send(): void {
    if (this.asking) return;
    // What the claim before granted is not asked again (a grant's `from` must not be behind it).
    const claims = [...this.wanted.values()]
      .map((c) => ({ ...c, from: Math.max(c.from, this.granted.get(c.client) ?? 0) }))
      .filter((c) => c.to > c.from);
    this.wanted = new Map();
    if (claims.length === 0) return;
    this.asking = claims;
    this.deps.store.claimClocks(this.deps.sessionId, this.deps.owner, claims).then(
      (granted) => {
        for (const c of claims) {
          if (granted.has(c.client)) {
            this.granted.set(c.client, c.to);
            this.refused.delete(c.client);
            if (c.takeover) this.deps.log.warn('clocks granted to another process were claimed over it: their content never came', { sessionId: this.deps.sessionId, n_client: c.client, n_from: c.from, n_to: c.to });
          } else {
            if (this.refused.get(c.client)?.from !== c.from) this.refused.set(c.client, { from: c.from, at: Date.now() });
            this.deps.log.warn('clocks of a Yjs client id were granted to another process; this copy waits for their content', { sessionId: this.deps.sessionId, n_client: c.client, n_from: c.from, n_to: c.to });
            this.awaitTakeover();
          }
        }
        this.finish(false);
      },
      (err: unknown) => {
        this.deps.log.error('clocks could not be claimed; the waiting edits are sent again after reconnecting', { sessionId: this.deps.sessionId, err });
        this.finish(true);
      },
    );
  }

  /** Has the gate look again once a refused claim may be made over the other grant. */
  private awaitTakeover(): void {
    if (this.takeoverTimer) return;
    this.takeoverTimer = setTimeout(() => {
      this.takeoverTimer = null;
      this.settled(false);
    }, TAKEOVER_MS);
    this.takeoverTimer.unref();
  }

  /** The note is unloaded: a claim that ends later changes nothing. */
  stop(): void {
    this.stopped = true;
    if (this.takeoverTimer) clearTimeout(this.takeoverTimer);
    this.takeoverTimer = null;
  }

  private finish(failed: boolean): void {
    this.asking = null;
    this.settled(failed);
    this.send();
  }

  /**
   * A claim ended: what waited for it is received again, in order. When storage could not be
   * asked, the connections whose edits wait are closed as busy: their pages keep the edits and
   * send them again after reconnecting, when the claim can be made.
   */
  private settled(failed: boolean): void {
    if (this.stopped) return;
    const waiting = this.waiting;
    this.waiting = [];
    if (failed) {
      for (const conn of new Set([...waiting.map((w) => w.conn), ...this.deps.waitingConnections()])) {
        conn.close(CloseCode.Busy, 'the server could not reach its storage; your edits are sent again after reconnecting');
      }
      return;
    }
    for (const { conn, update } of waiting) {
      if (!conn.isOpen) continue;
      try {
        this.deps.gate.receive(conn, update);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        conn.close(CloseCode.BadMessage, err.message);
      }
    }
    this.deps.gate.release();
  }
}
