import type { AuditAction } from '../../shared/domain/audit';
import { auditActionWords, type AuditLogRow } from '../../shared/domain/auditWords';
import type { AccountRecord, AuditRecord, Store } from '../persistence/ports';
import { localTimes } from '../review/localTime';

type Row = AuditRecord & { id: number };

const ACCOUNT_KEYS = new Set(['accountId', 'by', 'userId']);
/** Details that list people (by account id). */
const PEOPLE_KEYS = new Set(['accountIds', 'notWaitedFor', 'takenOff']);
const keyWords: Record<string, string> = {
  accountId: 'person', role: 'role', reason: 'reason', digest: 'digest', locked: 'locked', way: 'how', format: 'format', at: 'replayed at',
  count: 'count', connections: 'connections', kind: 'kind', override: 'admin override', changed: 'changed', added: 'added', removed: 'removed',
  accountIds: 'people', sessions: 'sessions', codes: 'codes', status: 'status at the time', what: 'reading', name: 'now named',
  trigger: 'because', merged: 'merged', unanchored: 'their words gone', byAuthor: 'kept private', window: 'matched within', notWaitedFor: 'not waited for (account changed)', takenOff: 'not waited for (taken off the session)',
};
/** What a `count` counts, by action (walk, 6 Dec: the row said "count: 0"). */
const countWords: Record<string, string> = { logins_ended: 'logins ended', group_members_changed: 'members now', audit_exported: 'rows exported' };
/** Why a blind session's observations were revealed (learning/reveal.ts). */
const triggerWords: Record<string, string> = { both_pressed: 'both therapists pressed Reveal', session_ended: 'the session ended' };

/** How the detail names what it is about: people and codebook tags by name, times in the clinic's zone. */
interface Namers {
  name(accountId: string): string;
  tag(tagId: string): string;
  timeAt(ms: number): string;
}

/** The detail in words: people and tags by name, digests shortened, ids of comments and notes left out. */
function detailWords(action: string, detail: Record<string, unknown>, { name, tag, timeAt }: Namers): string {
  return Object.entries(detail)
    .filter(([k]) => !/Id$/.test(k) || ACCOUNT_KEYS.has(k) || k === 'tagId')
    .map(([k, v]) => {
      const label = (k === 'count' ? countWords[action] : undefined) ?? keyWords[k] ?? k;
      if (ACCOUNT_KEYS.has(k) && typeof v === 'string') return `${label}: ${name(v)}`;
      // A tag changed: which one, and whether it was retired or brought back (walk, 4 Dec: the row said only `changed: ["retired"]`).
      if (k === 'tagId' && typeof v === 'string') return `tag: ${tag(v)}`;
      if (k === 'retired' && typeof v === 'boolean') return v ? 'retired' : 'brought back';
      // People before any other list of words: the row said the pair's account ids (walk, 4 Dec).
      if (PEOPLE_KEYS.has(k) && Array.isArray(v)) return `${label}: ${v.map((id) => name(String(id))).join(' and ')}`;
      if (k === 'byAuthor' && typeof v === 'object' && v !== null) return `${label}: ${Object.entries(v).map(([id, n]) => `${name(id)} ${String(n)}`).join(', ')}`;
      if (k === 'trigger' && typeof v === 'string') return `${label}: ${triggerWords[v] ?? v}`;
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `${label}: ${v.join(', ')}`;
      if (k === 'digest' && typeof v === 'string') return `${label}: ${v.slice(0, 12)}…`;
      if (k === 'at' && typeof v === 'number') return `${label}: ${timeAt(v)}`;
      // A concordance's matching window is in seconds (walk, 6 Dec: the row said "window: 60").
      if (k === 'window' && typeof v === 'number') return `${label}: ${v} s`;
      if (typeof v === 'boolean') return v ? label : `not ${label}`;
      return `${label}: ${typeof v === 'string' ? v : JSON.stringify(v)}`;
    })
    .join(', ');
}

/**
 * The audit log as a privacy officer reads it: actions in words, people by name, sessions by
 * title, times to the second in the clinic's zone. A visit (opened … left, by one login) is one
 * row: the `session_left` is folded into its `session_opened` when both are in `rows`.
 */
export async function readableAuditLog(store: Store, rows: Row[], timeZone: string): Promise<AuditLogRow[]> {
  const accounts = new Map<string, AccountRecord>((await store.accounts.list()).map((a) => [a.id, a]));
  const name = (id: string) => accounts.get(id)?.name ?? 'an unknown account';
  const tags = new Map((await store.tags.list()).map((t) => [t.id, t.name]));
  const tag = (id: string) => tags.get(id) ?? 'an unknown tag';
  const titles = new Map<string, string | null>();
  for (const id of new Set(rows.map((r) => r.sessionId).filter((id): id is string => id !== null))) titles.set(id, (await store.sessions.byId(id))?.title ?? null);
  const times = localTimes(timeZone);
  const when = (ms: number) => times.atSecond(new Date(ms).toISOString());

  // Newest first: a `session_left` comes before the `session_opened` that began its visit.
  const leftFor = new Map<number, number>();
  const waiting: Row[] = [];
  const folded = new Set<number>();
  for (const r of rows) {
    if (r.action === 'session_left') waiting.push(r);
    else if (r.action === 'session_opened') {
      const i = waiting.findIndex((l) => l.actorId === r.actorId && l.sessionId === r.sessionId && l.at >= r.at);
      if (i >= 0) {
        const [left] = waiting.splice(i, 1);
        leftFor.set(r.id, left!.at);
        folded.add(left!.id);
      }
    }
  }
  return rows
    .filter((r) => !folded.has(r.id))
    .map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      when: when(r.at),
      actorId: r.actorId,
      actorName: r.actorId ? name(r.actorId) : null,
      action: r.action,
      words: auditActionWords[r.action as AuditAction] ?? r.action,
      sessionId: r.sessionId,
      sessionTitle: r.sessionId ? (titles.get(r.sessionId) ?? null) : null,
      detail: detailWords(r.action, r.detail, { name, tag, timeAt: when }),
      leftAt: leftFor.has(r.id) ? when(leftFor.get(r.id)!) : null,
    }));
}
