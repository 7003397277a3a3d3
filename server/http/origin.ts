import type { IncomingMessage } from 'node:http';

/**
 * Whether a browser request comes from our own pages: its Origin is the host it was sent to (or
 * an explicitly allowed origin such as the dev server). Websocket upgrades and state-changing API
 * calls are refused otherwise, which is what stops cross-site request forgery and cross-site
 * websocket hijacking with a stolen-by-ambient-cookie session.
 */
export function isSameOrigin(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] === 'same-origin';
  if (allowed.includes(origin)) return true;
  const host = req.headers.host;
  if (!host) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
