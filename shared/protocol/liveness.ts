import { MessageType } from './messageType';

/**
 * Liveness of the sync socket, both ways. The server pings every client at the websocket level
 * and drops one that does not answer; and it sends every client a heartbeat every `heartbeatMs`
 * (told in the `hello` notice), so a client that hears nothing for {@link silenceLimitMs} knows
 * its connection is dead even when the network dropped it without a FIN or RST, which a browser
 * would otherwise notice only minutes later.
 */

/** How often the server sends a heartbeat by default (TANDEM_HEARTBEAT_MS). */
export const DEFAULT_HEARTBEAT_MS = 2_000;

/**
 * The heartbeat: an awareness update listing no clients. Every y-websocket client applies it as
 * a no-op (no presence changes, no events), and any message resets the stock provider's own
 * 30-second watchdog. A message type of our own would make every stock provider log "Unable to
 * compute message" for each heartbeat.
 */
export const HEARTBEAT_FRAME: Uint8Array = Uint8Array.of(MessageType.Awareness, 1, 0);

/**
 * How long a client waits without any message before it gives the connection up: two heartbeats
 * may be lost or late, plus a second for a busy network or event loop.
 */
export const silenceLimitMs = (heartbeatMs: number): number => 2 * heartbeatMs + 1_000;
