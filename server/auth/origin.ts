import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * The origins browser requests may come from besides our own, and whether the reverse proxy's
 * X-Forwarded-Proto and X-Forwarded-Host name our public origin (TRUST_PROXY). It is a list with
 * the proxy setting on it because the websocket upgrade receives it where a list of origins is
 * expected, so HTTP and websockets are judged by one function on one policy.
 */
export type OriginPolicy = readonly string[] & { readonly trustProxy?: boolean };

export function originPolicy(allowed: readonly string[], trustProxy: boolean): OriginPolicy {
  return Object.freeze(Object.assign([...allowed], { trustProxy }));
}

const firstValue = (header: string | string[] | undefined): string | undefined =>
  (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim() || undefined;

/**
 * Our own origin as the browser addressed it: scheme and host of this connection, or those the
 * trusted proxy reports (it terminates TLS, so only it knows the browser used https).
 */
function ownOrigin(req: IncomingMessage, trustProxy: boolean): string | null {
  const host = (trustProxy ? firstValue(req.headers['x-forwarded-host']) : undefined) ?? req.headers.host;
  if (!host) return null;
  const scheme = trustProxy ? (firstValue(req.headers['x-forwarded-proto']) ?? 'http') : (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a browser request comes from our own pages: its Origin is exactly our origin, scheme
 * included (a page served over plain http must not act on the https site), or an explicitly
 * allowed origin such as the dev server. Websocket upgrades and state-changing API calls are
 * refused otherwise, which is what stops cross-site request forgery and cross-site websocket
 * hijacking with a stolen-by-ambient-cookie session.
 */
export function isSameOrigin(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] === 'same-origin';
  if (policy.includes(origin)) return true;
  const own = ownOrigin(req, policy.trustProxy ?? false);
  if (!own) return false;
  try {
    return new URL(origin).origin === own;
  } catch {
    return false;
  }
}
