/**
 * Notices a connection the network dropped without closing. A browser learns of such a socket
 * only when TCP gives up, minutes later; meanwhile the badge would say "Saved" over edits going
 * nowhere. The server sends a heartbeat every `heartbeatMs` (its hello says how often), so a
 * connection silent for longer than two of them is given up and a new one opened.
 */
import type { WebsocketProvider } from 'y-websocket';
import { silenceLimitMs } from '../../shared/protocol/liveness';

/** How often the silence is measured; well under any silence limit. */
const CHECK_EVERY_MS = 500;

export interface SilenceWatch {
  /** The server of the current connection sends heartbeats this often (from its hello). */
  expectHeartbeats(heartbeatMs: number): void;
  stop(): void;
}

/** Watches `provider`'s connection; `onSilent` runs just before a silent one is replaced. */
export function watchSilence(provider: WebsocketProvider, onSilent?: () => void): SilenceWatch {
  // Null until the current connection's server said it sends heartbeats: an older server does not.
  let limitMs: number | null = null;
  const forget = () => {
    limitMs = null;
  };
  provider.on('connection-close', forget);
  const timer = setInterval(() => {
    // The provider stamps every message it receives (Date.now()), heartbeats included.
    if (limitMs === null || !provider.wsconnected || Date.now() - provider.wsLastMessageReceived <= limitMs) return;
    limitMs = null;
    onSilent?.();
    // disconnect() drops the socket at once (a close handshake would wait on the dead network).
    provider.disconnect();
    provider.connect();
  }, CHECK_EVERY_MS);
  return {
    expectHeartbeats: (heartbeatMs) => {
      limitMs = silenceLimitMs(heartbeatMs);
    },
    stop: () => {
      clearInterval(timer);
      provider.off('connection-close', forget);
    },
  };
}
