import { RECENTLY_REVIEWED_DAYS, type QueueItem, type QueueQuery, type QueueState, type QueueView } from '../../shared/domain/supervisor';
import type { AccountRecord, MemberRecord, SessionEventRecord, SessionRecord, Store } from '../persistence/ports';
import { recordSessionsOf } from '../members/processNotes';
import { signingState } from '../services/signingState';
import { openThreadCount, threadViews } from './threads';

const DAY_MS = 86_400_000;

/** The session's date as lists show and filter it: planned, else started, else created. */
export const sessionDate = (s: Pick<SessionRecord, 'scheduledAt' | 'startedAt' | 'createdAt'>): number => s.scheduledAt ?? s.startedAt ?? s.createdAt;

/** The latest return, if the note came back from the supervisor since it was last ended. */
function openReturn(events: SessionEventRecord[]): SessionEventRecord | null {
  const last = [...events].reverse().find((e) => e.kind === 'returned' || e.kind === 'ended');
  return last?.kind === 'returned' ? last : null;
}

const lastOf = (events: SessionEventRecord[], kind: SessionEventRecord['kind']) => [...events].reverse().find((e) => e.kind === kind) ?? null;

/** Where the note stands for a supervisor (null: nothing for them to do or see now). */
function supervisorState(s: SessionRecord, events: SessionEventRecord[], now: number): { state: QueueState; since: number } | null {
  const returns = events.filter((e) => e.kind === 'returned').length;
  if (s.status === 'signed') return { state: returns > 0 ? 'resubmitted' : 'awaiting_cosign', since: lastOf(events, 'signed')?.at ?? s.createdAt };
  if (s.status === 'ended') {
    const ret = openReturn(events);
    return ret ? { state: 'returned', since: ret.at } : null;
  }
  if (s.status === 'reviewed') {
    const at = lastOf(events, 'cosigned')?.at ?? s.createdAt;
    return now - at <= RECENTLY_REVIEWED_DAYS * DAY_MS ? { state: 'reviewed', since: at } : null;
  }
  return null;
}

/** Where the note stands for one of its therapists (null: still scheduled or live, or long co-signed). */
function therapistState(s: SessionRecord, events: SessionEventRecord[], now: number): { state: QueueState; since: number } | null {
  if (s.status === 'ended') {
    const ret = openReturn(events);
    return ret ? { state: 'returned', since: ret.at } : { state: 'to_sign', since: s.endedAt ?? s.createdAt };
  }
  if (s.status === 'signed') return { state: 'awaiting_cosign', since: lastOf(events, 'signed')?.at ?? s.createdAt };
  if (s.status === 'reviewed') {
    const at = lastOf(events, 'cosigned')?.at ?? s.createdAt;
    return now - at <= RECENTLY_REVIEWED_DAYS * DAY_MS ? { state: 'reviewed', since: at } : null;
  }
  return null;
}

/**
 * Whom a note to sign waits for: the signatures missing as the sign rule counts them, or, with all
 * of them given (a co-therapist could no longer sign after the others signed), those who signed,
 * since it locks only when one of them presses Sign again. It said nobody (6 Dec).
 */
async function waitingFor(store: Store, s: SessionRecord): Promise<string[]> {
  const { awaited, missing } = await signingState(store, s);
  return missing.length > 0 ? missing : awaited;
}

const emptyCounts = (): Record<QueueState, number> => ({ to_sign: 0, returned: 0, awaiting_cosign: 0, resubmitted: 0, reviewed: 0 });

/**
 * The caller's queue: for a supervisor the notes they supervise that wait for them, came back, or
 * were co-signed lately; for a therapist their own notes' states. Filters narrow by therapist,
 * kind and session date; counts are of what the filters leave. `onReturnReason` is told each
 * session whose return reason is sent (a read of typed clinical text, audited by the caller).
 */
export async function buildQueue(
  store: Store,
  account: AccountRecord,
  query: QueueQuery,
  range: { from?: number; to?: number },
): Promise<{ view: QueueView; reasonsSent: string[] }> {
  const role = account.role === 'supervisor' ? 'supervisor' : 'therapist';
  const now = Date.now();
  const accounts = new Map((await store.accounts.list()).map((a) => [a.id, a]));
  const person = (id: string) => ({ id, name: accounts.get(id)?.name ?? 'Former member' });
  const sessions = await recordSessionsOf(store, account);
  const items: QueueItem[] = [];
  const therapistIds = new Set<string>();
  const reasonsSent: string[] = [];
  for (const s of sessions) {
    const members: MemberRecord[] = await store.sessions.members(s.id);
    const mine = members.find((m) => m.accountId === account.id);
    if (!mine || mine.role !== (role === 'supervisor' ? 'supervisor' : 'therapist')) continue;
    const therapists = members.filter((m) => m.role === 'therapist').map((m) => m.accountId);
    therapists.forEach((t) => therapistIds.add(t));
    const events = await store.events.list(s.id);
    const where = role === 'supervisor' ? supervisorState(s, events, now) : therapistState(s, events, now);
    if (!where) continue;
    const date = sessionDate(s);
    if (query.therapist && !therapists.includes(query.therapist)) continue;
    if (query.kind && s.kind !== query.kind) continue;
    if (range.from !== undefined && date < range.from) continue;
    if (range.to !== undefined && date >= range.to) continue;
    const ret = where.state === 'returned' ? openReturn(events) : null;
    if (ret) reasonsSent.push(s.id);
    const comments = await store.comments.list(s.id);
    const threads = await threadViews(store, s.id, accounts, comments);
    items.push({
      sessionId: s.id, title: s.title, kind: s.kind, status: s.status, state: where.state,
      date: new Date(date).toISOString(), since: new Date(where.since).toISOString(),
      therapists: therapists.map(person),
      supervisors: members.filter((m) => m.role === 'supervisor').map((m) => person(m.accountId)),
      waitingFor: where.state === 'to_sign' ? (await waitingFor(store, s)).map(person) : [],
      returnReason: ret?.reason ?? null,
      returns: events.filter((e) => e.kind === 'returned').length,
      comments: comments.filter((c) => !c.deleted).length,
      openThreads: openThreadCount(threads),
    });
  }
  // What waits longest comes first; the co-signed ones follow, the latest first.
  items.sort((a, b) => (a.state === 'reviewed') !== (b.state === 'reviewed') ? (a.state === 'reviewed' ? 1 : -1)
    : a.state === 'reviewed' ? b.since.localeCompare(a.since) : a.since.localeCompare(b.since));
  const counts = emptyCounts();
  for (const item of items) counts[item.state]++;
  return {
    view: { role, items, counts, therapists: [...therapistIds].map(person).sort((a, b) => a.name.localeCompare(b.name)) },
    reasonsSent,
  };
}
