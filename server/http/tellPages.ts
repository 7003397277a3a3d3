import type { HttpDeps } from './context';

/**
 * Tells the session's open pages that `what` changed, so they read the session again. After the
 * answer: what changed is stored whatever the telling does.
 */
export function tellPages(deps: Pick<HttpDeps, 'live' | 'log'>, sessionId: string, what: string): void {
  deps.live.toSession(sessionId, { type: 'session', sessionId }).catch((err: unknown) =>
    deps.log.warn(`telling the session’s pages of ${what} failed`, { sessionId, err }),
  );
}
