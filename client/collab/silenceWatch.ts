/**
 * Notices a connection the network dropped without closing. A browser learns of such a socket
 * only when TCP gives up, minutes later; meanwhile the badge would say "Saved" over edits going
 * nowhere. The server sends a heartbeat every `heartbeatMs` (its hello says how often), so a
 * connection silent for longer than two of them is given up and a new one opened, and so is one
 * the browser says is offline.
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
  const replace = () => {
    limitMs = null;
    onSilent?.();
    // disconnect() drops the socket at once (a close handshake would wait on the dead network).
    provider.disconnect();
    provider.connect();
  };
  const timer = setInterval(() => {
    // The provider stamps every message it receives (Date.now()), heartbeats included.
    if (limitMs === null || !provider.wsconnected || Date.now() - provider.wsLastMessageReceived <= limitMs) return;
    replace();
  }, CHECK_EVERY_MS);
  // The browser knows the network is gone (Wi-Fi off, a cable out): no need to wait for the
  // silence. Until then the page said "Saved" and offered Sign for up to two heartbeats (walk,
  // 4 Dec). "online" proves nothing, so only "offline" is taken at its word.
  const offline = () => {
    if (provider.wsconnected) replace();
  };
  // No window where a watch runs outside a page (a Node client of the fault tests).
  const page = typeof window === 'undefined' ? null : window;
  page?.addEventListener('offline', offline);
  return {
    expectHeartbeats: (heartbeatMs) => {
      limitMs = silenceLimitMs(heartbeatMs);
    },
    stop: () => {
      clearInterval(timer);
      page?.removeEventListener('offline', offline);
      provider.off('connection-close', forget);
    },
  };
}
