import type { HttpDeps } from './context';

/**
 * Tells the session's open pages that `what` changed, so they read the session (`type: 'session'`)
 * or its comment threads (`'comments'`) again. After the change is stored: it stands whatever the
 * telling does (a failed read of who may be told answered 503 for a comment edit that stood: fault
 * attack, 7 Dec).
 */
export function tellPages(deps: Pick<HttpDeps, 'live' | 'log'>, sessionId: string, what: string, type: 'session' | 'comments' = 'session'): void {
  deps.live.toSession(sessionId, { type, sessionId }).catch((err: unknown) =>
    deps.log.warn(`telling the session’s pages of ${what} failed`, { sessionId, err }),
  );
}
