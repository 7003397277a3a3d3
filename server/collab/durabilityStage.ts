import type { DeleteTally } from '../../shared/protocol/storedState';
import type { Logger } from '../log';
import type { DocStore, NewLogEntry } from '../persistence/ports';
import type { AppendRefusal } from '../persistence/storageBoundary';
import type { Connection } from './Connection';
import type { FanOutStage } from './fanOutStage';
import { PersistQueue, type Stored } from './PersistQueue';
import type { StallWatch } from './stallWatch';
import * as wire from './wire';

/** A note's state as a "Saved" message describes it. */
export interface SavedState {
  stateVector: Uint8Array;
  deletions: DeleteTally;
}

/** What one write covers: the note's state when it began, and the number of the last relay queued then (FanOutStage). */
interface StoredMark extends SavedState {
  relays: number;
}

export interface DurabilityDeps {
  store: DocStore;
  sessionId: string;
  log: Logger;
  connections: ReadonlySet<Connection>;
  fanOut: FanOutStage;
  /** The note's current state (what a write that begins now covers). */
  current(): SavedState;
  /** Called after a batch of this note's updates became durable, with how many entries it had. */
  onStored?(count: number): void;
  /** Watches for writes that neither complete nor fail; none: unwatched. */
  stalls?: StallWatch;
  /** Storage refused `count` entries for good (see PersistQueue): the note is served from storage again. */
  onRefused(count: number, reason: AppendRefusal): void;
}

/**
 * The persist and acknowledge stages of a note's update path: every change is queued for storage,
 * and once a write is durable its writers are told "Saved" (and only then: nothing is confirmed
 * before it is stored) and the relays that waited on it go out. A failing store is retried, and
 * clients are told it failed and when it recovered.
 */
export class DurabilityStage {
  readonly queue: PersistQueue<StoredMark>;
  /** What is durably stored; sent to clients as "Saved". */
  private stored: SavedState;
  /** The last write acknowledged: a write's promise may be awaited twice (see PersistQueue). */
  private acknowledged: Stored<StoredMark> | null = null;
  /** The promise of the write the latest entry waits for, acknowledged once. */
  private awaited: Promise<Stored<StoredMark>> | null = null;
  /** Set while a stall was told (clients and log), until the next write is stored. */
  private stalledAt: number | null = null;

  constructor(private readonly deps: DurabilityDeps) {
    this.stored = deps.current();
    this.queue = new PersistQueue<StoredMark>(deps.store, deps.sessionId, {
      mark: () => ({ ...deps.current(), relays: deps.fanOut.lastQueued }),
      onFailed: (err, attempt) => this.handleFailed(err, attempt),
      onRefused: (count, reason) => deps.onRefused(count, reason),
    });
  }

  /** What is durably stored, as told to clients. */
  get saved(): SavedState {
    return this.stored;
  }

  /** Takes `state` as stored: what the note was loaded from. */
  adopt(state: SavedState): void {
    this.stored = state;
  }

  /** Queues one change for storage; its writers hear "Saved" once the write holding it is durable. */
  persist(entry: NewLogEntry): void {
    const durable = this.queue.enqueue(entry);
    this.deps.stalls?.watch(this);
    if (durable === this.awaited) return;
    this.awaited = durable;
    void durable.then((stored) => this.acknowledge(stored));
  }

  private acknowledge(stored: Stored<StoredMark>): void {
    // Nothing of a refused write is confirmed, nor relayed: the note goes (onRefused).
    if (stored === this.acknowledged || stored.refused) return;
    this.acknowledged = stored;
    const { mark, count, recovered } = stored;
    const told = this.stalledAt !== null;
    this.stored = { stateVector: mark.stateVector, deletions: mark.deletions };
    this.deps.fanOut.release(mark.relays);
    // Only someone who may write has a save state to show; readers' badges say "Read-only".
    const saved = wire.encodeSaved(mark);
    for (const c of this.deps.connections) if (c.canWrite) c.send(saved);
    this.deps.onStored?.(count);
    if (this.stalledAt !== null) {
      this.deps.log.info('note updates stored after a stall', { sessionId: this.deps.sessionId, ms: Date.now() - this.stalledAt });
      this.stalledAt = null;
    }
    if (recovered || told) this.deps.fanOut.broadcast(wire.encodeNotice({ type: 'save-recovered' }));
  }

  /** For the stall watch: when the oldest edit not yet stored was queued (epoch ms), or null. */
  oldestUnconfirmedAt(): number | null {
    return this.queue.oldestUnconfirmedAt;
  }

  /**
   * The oldest edit has waited past the stall bound without its write completing or failing:
   * told once per stall, to the log and (unless a failure already told them) to the writers.
   */
  stalled(waitedMs: number): void {
    if (this.stalledAt !== null) return;
    this.stalledAt = Date.now() - waitedMs;
    this.deps.log.warn('note updates wait for storage past the stall bound; keeping them and waiting', {
      sessionId: this.deps.sessionId, ms: waitedMs, count: this.queue.size, n_failedAttempts: this.queue.failedAttempts,
    });
    if (!this.queue.isFailing) {
      this.deps.fanOut.broadcast(wire.encodeNotice({ type: 'save-failed', message: 'The server is waiting for storage. The latest edits are kept and retried.' }));
    }
  }

  private handleFailed(err: unknown, attempt: number): void {
    this.deps.log.error('storing note updates failed; keeping them in memory and retrying', {
      sessionId: this.deps.sessionId, err, n_attempt: attempt, count: this.queue.size,
    });
    this.deps.fanOut.releaseUnstored();
    if (attempt === 1) {
      this.deps.fanOut.broadcast(wire.encodeNotice({ type: 'save-failed', message: 'The server could not store the latest edits. They are kept and retried.' }));
    }
  }
}
