import { HEARTBEAT_FRAME } from '../../shared/protocol/liveness';
import type { Connection } from './Connection';

export interface LivenessOptions {
  /** Websocket-level pings: a peer that has not answered one by the next is dropped. */
  pingIntervalMs: number;
  /** Application heartbeats, so every client hears from the server at least this often. */
  heartbeatMs: number;
}

/**
 * Keeps both ends of every sync socket honest about the other being there. One timer of each
 * kind per server, not per connection. Returns a function that stops both.
 */
export function keepAlive(connections: () => Iterable<Connection>, options: LivenessOptions, onUnanswered: (conn: Connection) => void): () => void {
  const heartbeat = setInterval(() => {
    // Sent to every connection, busy or not: a client's silence limit can then be two intervals.
    for (const conn of connections()) conn.send(HEARTBEAT_FRAME);
  }, options.heartbeatMs);
  const ping = setInterval(() => {
    for (const conn of connections()) if (!conn.ping()) onUnanswered(conn);
  }, options.pingIntervalMs);
  heartbeat.unref();
  ping.unref();
  return () => {
    clearInterval(heartbeat);
    clearInterval(ping);
  };
}
