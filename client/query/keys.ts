/**
 * The query keys of the client's server state, one per resource, so that a change, a live event
 * or the network coming back can name exactly what it makes stale. Everything about one session
 * starts with `['session', id]`, and a part of it adds its name: `['session', id, 'comments']`.
 * Filters are the key's last element (a plain object: TanStack hashes it with sorted fields).
 */
import type { AuditFilters, QueueFilters, SessionSearch } from '../api/supervisor';

/** The parts of one session the client reads, each a key of its own. */
export type SessionPart =
  | 'view'
  | 'access'
  | 'blind'
  | 'comments'
  | 'concordance'
  | 'groupHistory'
  | 'memberNotes'
  | 'processNote'
  | 'record'
  | 'review'
  | 'signCheck'
  | 'supervisionNotes'
  | 'threads';

export const keys = {
  /** Who is signed in (AuthProvider): never removed with the rest at a logout. */
  auth: ['auth'] as const,
  tags: ['tags'] as const,
  users: ['users'] as const,
  /** Under `users`, so a change to the accounts reads these again too. */
  accountSessions: (accountId: string) => ['users', accountId, 'sessions'] as const,
  loginThrottles: ['loginThrottles'] as const,
  competencies: ['competencies'] as const,
  notices: ['notices'] as const,
  dyads: ['dyads'] as const,
  trend: (accountIds: string[]) => ['dyads', 'trend', accountIds] as const,
  audit: (filters: AuditFilters & { limit: number }) => ['audit', filters] as const,
  sessions: (search: SessionSearch) => ['sessions', search] as const,
  queue: (filters: QueueFilters) => ['queue', filters] as const,
  /** One part of a session; `extra` tells apart reads of the same part that differ (a window, a role). */
  session: (id: string, part: SessionPart, ...extra: (string | number | boolean)[]) => ['session', id, part, ...extra] as const,
};

/**
 * `placeholderData` for a session part read under another key of the same session (another
 * window, a new status): the last answer stays on screen meanwhile. An answer about another
 * session is never shown for this one (a page kept mounted while its id changes).
 */
export function keepSameSession<T>(sessionId: string) {
  return (previous: T | undefined, previousQuery: { queryKey: readonly unknown[] } | undefined): T | undefined =>
    previousQuery?.queryKey[0] === 'session' && previousQuery.queryKey[1] === sessionId ? previous : undefined;
}
