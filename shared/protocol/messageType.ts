/**
 * Wire message types. 0–3 are the y-websocket protocol (sync, awareness, auth, query-awareness);
 * ours start at 100 so they can never collide with a future y-websocket type.
 */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /**
   * Server → client: what the server has durably stored: a state vector (varUint8Array) and a
   * tally of deletions (varUint count, varUint sum); see storedState.ts.
   */
  Saved: 100,
  /** Server → client: JSON {@link ServerNotice}, e.g. a refused write or the connection's access. */
  Notice: 101,
} as const;

/** What the server tells a client beside the document itself (JSON in a `Notice` frame). */
export type ServerNotice =
  /**
   * The first message on every connection: how often the server sends a heartbeat (see
   * liveness.ts) and the largest message it accepts, so the client can check its own edits.
   */
  | { type: 'hello'; heartbeatMs: number; maxMessageBytes: number }
  | { type: 'access'; canWrite: boolean; role: string; reason?: string }
  | { type: 'refused'; code: string; message: string }
  | { type: 'save-failed'; message: string }
  | { type: 'save-recovered' }
  /** Sent just before closing with `MessageOverLimit`: the message's size and the limit, in bytes. */
  | { type: 'too-big'; size: number; limit: number };
