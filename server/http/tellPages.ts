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

/** Who may open the process notes now: the members of their own session (keepers; supervisors shared with). */
export const membersOf = async (deps: Pick<HttpDeps, 'store'>, processSessionId: string): Promise<string[]> =>
  (await deps.store.sessions.members(processSessionId)).map((m) => m.accountId);

/**
 * Tells the open pages of `before` (the notes' members before the step) and of their members now
 * that the process notes changed, after the answer: a walk saw the co-keeper's page learn of an ask
 * to remove only at a reload, and the asker's page go on saying it waited after the notes were
 * removed. Not the session's other members: a supervisor not shared with, or a therapist who keeps
 * no part of them, would learn when the pair works on notes kept from them.
 */
export function tellKeepers(deps: Pick<HttpDeps, 'store' | 'live' | 'log'>, sessionId: string, processSessionId: string, before: readonly string[]): void {
  membersOf(deps, processSessionId).then(
    (now) => deps.live.toAccounts(new Set([...before, ...now]), { type: 'session', sessionId }),
    (err: unknown) => deps.log.warn('telling the process notes’ pages of a change failed', { sessionId, err }),
  );
}

/**
 * Tells the open pages of every process notes `accountId` keeps that their account changed (made
 * inactive or active, given another role), after the change is stored: an ask of a keeper counts
 * only while their account may act (processNoteAsks.ts), and the other keepers' pages went on
 * showing a deactivated keeper's ask, waiting for them, until a reload.
 */
export function tellKeepersOfAccount(deps: Pick<HttpDeps, 'store' | 'live' | 'log'>, accountId: string): void {
  void (async () => {
    for (const session of await deps.store.sessions.listForAccount(accountId)) {
      const notes = await deps.store.memberNotes.processNote(session.id, 'process');
      if (notes) tellKeepers(deps, notes.sessionId, session.id, []);
    }
  })().catch((err: unknown) => deps.log.warn('telling the process notes’ pages of an account change failed', { accountId, err }));
}
