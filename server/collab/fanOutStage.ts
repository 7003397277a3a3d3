import type { Fanout, FanoutMessage } from '../fanout/Fanout';
import type { Connection } from './Connection';

/** One update on its way to this process's other clients and to other processes. */
export interface Relay {
  /** The update framed for clients. */
  frame: Uint8Array;
  /** The connection it came from, which already has it. */
  except: Connection | undefined;
  /** The update with its bindings for other processes; null for updates that came from fan-out. */
  fanout: Uint8Array | null;
}

/** A relay held back, numbered in the order it was queued. */
interface Waiting {
  n: number;
  relay: Relay;
  /** It may go out only once stored, even while storage is failing (see `relay`). */
  needsStore: boolean;
}

/**
 * The last stage of a note's update path: sends frames to the note's connections and publishes to
 * other processes, holding back the updates that must wait for storage (see `relay`).
 */
export class FanOutStage {
  private waiting: Waiting[] = [];
  private queued = 0;

  constructor(
    private readonly deps: { sessionId: string; connections: ReadonlySet<Connection>; fanout: Fanout },
  ) {}

  /** The number of the last relay queued so far. A write's mark keeps it, to release what it covers once durable. */
  get lastQueued(): number {
    return this.queued;
  }

  /** Sends a frame to every connection of the note but `except`. */
  broadcast(frame: Uint8Array, except?: Connection): void {
    for (const c of this.deps.connections) if (c !== except) c.send(frame);
  }

  publish(message: FanoutMessage): void {
    this.deps.fanout.publish(this.deps.sessionId, message);
  }

  /**
   * Relays an update at once, in order, but for two kinds, which wait until their write is
   * durable and go nowhere if storage refuses it:
   * - an update that writes under a client id for the first time (`waitForStore`): storage judges
   *   the claim (another process may hold it: AppendRefusedError `client_id_taken`), and a crash
   *   never leaves other clients holding text whose author the server cannot prove;
   * - every update while other processes' messages may be lost (the fan-out `interrupted`): a lock
   *   made on one of them may not have reached this one, and the store, where the lock is, judges
   *   the update before anyone is shown it (attack, 4 Dec: a supervisor's page here was sent words
   *   typed after the lock).
   * While storage is failing (`storeFailing`) other updates go out at once, ahead of those waiting,
   * so editing goes on; these two wait for it whatever happens (re-check, 4 Dec: with Redis away and
   * one write failed, a forged client id's words went out and were stored elsewhere as relayed).
   */
  relay(relay: Relay, waitForStore: boolean, storeFailing: boolean): void {
    const needsStore = waitForStore || this.deps.fanout.interrupted;
    if (!needsStore && (this.waiting.length === 0 || storeFailing)) return this.deliver(relay);
    this.waiting.push({ n: ++this.queued, relay, needsStore });
  }

  /** Delivers, in order, the waiting relays numbered up to `upTo` (all of them when omitted): their write is durable. */
  release(upTo = this.queued): void {
    const due = this.waiting.filter((w) => w.n <= upTo);
    this.waiting = this.waiting.filter((w) => w.n > upTo);
    for (const w of due) this.deliver(w.relay);
  }

  /** Storage is failing: the waiting relays that need not wait for it go out; the others stay until their write is durable. */
  releaseUnstored(): void {
    const due = this.waiting.filter((w) => !w.needsStore);
    this.waiting = this.waiting.filter((w) => w.needsStore);
    for (const w of due) this.deliver(w.relay);
  }

  private deliver({ frame, except, fanout }: Relay): void {
    this.broadcast(frame, except);
    if (fanout) this.publish({ kind: 'update', data: fanout });
  }
}
