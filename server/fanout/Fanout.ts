/**
 * A document update or awareness change crossing between server processes. An update's `data` is
 * the update with its authorship bindings (collab/fanoutUpdate.ts); awareness is y-protocols'.
 */
export interface FanoutMessage {
  kind: 'update' | 'awareness';
  data: Uint8Array;
}

/**
 * Carries a session's updates and presence to the other server processes that have it open.
 * Delivery is best effort: a process that opens a note loads it from the shared store after
 * subscribing, so what it missed before subscribing is in storage.
 */
export interface Fanout {
  /** Whether other processes receive what is published; if not, nothing need be encoded for them. */
  readonly shared: boolean;
  /**
   * Whether messages between processes may be lost now (an outage being recovered from): a lock
   * or revocation made on another process may not have arrived here.
   */
  readonly interrupted: boolean;
  publish(sessionId: string, message: FanoutMessage): void;
  /** Asks the other processes that have the session open to publish it whole (a message was lost). */
  requestWhole?(sessionId: string): void;
  /** Resolves once the subscription is active. */
  subscribe(sessionId: string, onMessage: (message: FanoutMessage) => void): Promise<() => Promise<void>>;
  /** Whether the transport is currently up (for health checks). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** One process: nothing to carry. */
export function createLocalFanout(): Fanout {
  return {
    shared: false,
    interrupted: false,
    publish: () => {},
    subscribe: async () => async () => {},
    healthy: async () => true,
    close: async () => {},
  };
}
