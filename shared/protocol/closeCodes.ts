/**
 * WebSocket close codes the server uses. y-websocket's provider treats 4400–4499 as final
 * (it stops reconnecting) and every other code as transient, so the ranges are chosen on purpose:
 * a client that sent garbage or lost its rights must not hammer the server, while a client whose
 * document failed to load or whose server is restarting should come back by itself.
 */
export const CloseCode = {
  /** Malformed, truncated or unknown frame. Final. */
  BadMessage: 4400,
  /** The login expired or was logged out. Final: the page must log in again. */
  Unauthorized: 4401,
  /** The account is no longer a member of the session. Final. */
  Forbidden: 4403,
  /** Access changed (e.g. role changed): reconnect to pick up the new rights. Transient. */
  AccessChanged: 4205,
  /** The note could not be loaded from storage; nothing was served. Transient: retry. */
  LoadFailed: 4503,
  /**
   * The connection sent more changes than the server keeps waiting behind a big one in its note
   * (server/collab/bigUpdateLane.ts), or held more of messages not yet finished than its account or
   * the process may (server/collab/unfinishedMessages.ts). Transient: the client comes back after
   * its backoff and its sync sends what was not stored, once.
   */
  Busy: 4029,
  /**
   * The account already has as many sockets on this note as one person may (tabs and devices;
   * server/collab/upgrade.ts). Transient: the page says so, and connects by itself once one of the
   * others closed.
   */
  TooManySockets: 4030,
  /**
   * RFC 6455 "internal error": handling a message failed inside the server (a defect, logged as an
   * error and counted). Transient: the client reconnects and its sync sends what was not stored;
   * the process and every other connection go on.
   */
  ServerError: 1011,
  /** The server is shutting down gracefully; another process (or the same one) will take over. */
  ServerRestarting: 4012,
  /**
   * A message over TANDEM_MAX_MESSAGE_BYTES. Final: the same bytes would be refused again, so a
   * client must not send them again. The reason (and a `too-big` notice before it) names the
   * message's size and the limit.
   */
  MessageOverLimit: 4413,
  /**
   * RFC 6455 "message too big", sent by `ws` itself, without reading it, for a message over twice
   * the limit (the most the server reads to tell its size).
   */
  MessageTooBig: 1009,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
