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

/**
 * The last stage of a note's update path: sends frames to the note's connections and publishes to
 * other processes, holding back the updates that must wait for storage (see `relay`).
 */
export class FanOutStage {
  private waiting: Relay[] = [];

  constructor(
    private readonly deps: { sessionId: string; connections: ReadonlySet<Connection>; fanout: Fanout },
  ) {}

  /** How many relays wait for storage. A write's mark counts them, to release them once it is durable. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Sends a frame to every connection of the note but `except`. */
  broadcast(frame: Uint8Array, except?: Connection): void {
    for (const c of this.deps.connections) if (c !== except) c.send(frame);
  }

  publish(message: FanoutMessage): void {
    this.deps.fanout.publish(this.deps.sessionId, message);
  }

  /**
   * Relays an update at once, in order. The exception is an update that writes under a client id
   * for the first time (`waitForStore`): it waits until that id's binding to its author is durable.
   * A crash then never leaves other clients holding text whose author the server cannot prove; if
   * such a client sends it back after a restart, the stored binding sets it aside as someone
   * else's, and its author, who holds it unconfirmed, sends it again. While other processes'
   * messages may be lost (the fan-out `interrupted`), every update waits: a lock made on one of
   * them may not have reached this one, and the store, where the lock is, judges the update before
   * anyone is shown it (attack, 4 Dec: a supervisor's page here was sent words typed after the
   * lock). While storage is failing (`storeFailing`) nothing waits.
   */
  relay(relay: Relay, waitForStore: boolean, storeFailing: boolean): void {
    if (storeFailing || (this.waiting.length === 0 && !waitForStore && !this.deps.fanout.interrupted)) this.deliver(relay);
    else this.waiting.push(relay);
  }

  /** Delivers the first `count` waiting relays (all of them when omitted), in order. */
  release(count = this.waiting.length): void {
    for (const relay of this.waiting.splice(0, count)) this.deliver(relay);
  }

  private deliver({ frame, except, fanout }: Relay): void {
    this.broadcast(frame, except);
    if (fanout) this.publish({ kind: 'update', data: fanout });
  }
}
