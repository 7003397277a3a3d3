/**
 * Every query key the client uses, named in one place so a write can say exactly which answers it
 * makes stale. Everything about one session sits under `session(id)`: a change the server tells
 * us of (the note's connection closed for a status change, a live `session` event) invalidates
 * that prefix, and whatever the page shows of the session is read again.
 */
import type { AuditFilters, QueueFilters, SessionSearch } from './supervisor';

const sessionKey = (id: string, part: string) => ['session', id, part] as const;
const queues = ['queue'] as const;

export const queryKeys = {
  /** Prefix of every session search (the home page's list). */
  sessionLists: ['sessions'] as const,
  sessionSearch: (search: SessionSearch) => ['sessions', search] as const,
  /** Prefix of every review queue, whatever its filters. */
  queues,
  queue: (filters: QueueFilters) => ['queue', filters] as const,
  notices: ['notices'] as const,
  tags: ['tags'] as const,
  competencies: ['competencies'] as const,
  users: ['users'] as const,
  loginThrottles: ['loginThrottles'] as const,
  audit: (filters: AuditFilters & { limit: number }) => ['audit', filters] as const,
  dyads: ['dyads'] as const,
  trend: (ids: readonly string[]) => ['dyads', 'trend', ids] as const,

  /** Prefix of everything loaded about one session. */
  session: (id: string) => ['session', id] as const,
  sessionView: (id: string) => sessionKey(id, 'view'),
  /** The signed record (review + digest check) the workspace's sign panel and addenda show. */
  record: (id: string) => sessionKey(id, 'record'),
  /** Everything the review page shows, loaded together. */
  review: (id: string) => sessionKey(id, 'review'),
  comments: (id: string) => sessionKey(id, 'comments'),
  threads: (id: string) => sessionKey(id, 'threads'),
  /** What a comment, reply, edit, deletion or resolution changes: every list of them, and the queue's counts. */
  commentsOf: (id: string) => [sessionKey(id, 'comments'), sessionKey(id, 'threads'), sessionKey(id, 'review'), queues] as const,
  supervisionNotes: (id: string) => sessionKey(id, 'supervisionNotes'),
  concordance: (id: string, windowSeconds: number) => ['session', id, 'concordance', windowSeconds] as const,
  noteAccess: (id: string) => sessionKey(id, 'noteAccess'),
  signCheck: (id: string) => sessionKey(id, 'signCheck'),
  memberNotes: (id: string) => sessionKey(id, 'memberNotes'),
  groupHistory: (id: string) => sessionKey(id, 'groupHistory'),
  processNote: (id: string) => sessionKey(id, 'processNote'),
};
