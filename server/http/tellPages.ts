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

/**
 * Tells the open pages of every process notes `accountId` keeps that their account changed (made
 * inactive or active, given another role), after the change is stored: an ask of a keeper counts
 * only while their account may act (processNoteAsks.ts), and the other keepers' pages went on
 * showing a deactivated keeper's ask, waiting for them, until a reload. Process notes are sessions
 * whose members are their keepers; their pages listen by the session the notes are of.
 */
export function tellKeepersOfAccount(deps: Pick<HttpDeps, 'store' | 'live' | 'log'>, accountId: string): void {
  void (async () => {
    for (const session of await deps.store.sessions.listForAccount(accountId)) {
      const notes = await deps.store.memberNotes.processNote(session.id, 'process');
      if (!notes) continue;
      const keepers = (await deps.store.sessions.members(session.id)).map((m) => m.accountId);
      deps.live.toAccounts(keepers, { type: 'session', sessionId: notes.sessionId });
    }
  })().catch((err: unknown) => deps.log.warn('telling the process notes’ pages of an account change failed', { accountId, err }));
}
