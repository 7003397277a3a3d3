import { randomUUID } from 'node:crypto';
import type { NoticesView, NoticeView } from '../../shared/domain/supervisor';
import type { AccountRecord, NoticeKind, NoticeRecord, Store } from '../persistence/ports';
import type { LiveEvents } from './LiveEvents';

type Deps = { store: Store; live: LiveEvents };

/**
 * Puts a notice in each person's inbox (never the one who caused it) and tells their open pages.
 * Called after the action it reports is stored and audited.
 */
export async function notify(
  deps: Deps,
  to: Iterable<string>,
  notice: { kind: NoticeKind; sessionId: string; actorId: string | null; refId?: string | null },
): Promise<void> {
  const now = Date.now();
  const recipients = [...new Set(to)].filter((id) => id !== notice.actorId);
  if (recipients.length === 0) return;
  await deps.store.notices.create(
    recipients.map((accountId): NoticeRecord => ({
      id: randomUUID(), accountId, kind: notice.kind, sessionId: notice.sessionId, actorId: notice.actorId, refId: notice.refId ?? null, createdAt: now, readAt: null,
    })),
  );
  deps.live.toAccounts(recipients, { type: 'notices' });
}

const sentence: Record<NoticeKind, (actor: string, title: string) => string> = {
  flag: (a, t) => `${a} flagged something for you in “${t}”.`,
  comment: (a, t) => `${a} commented on “${t}”.`,
  reply: (a, t) => `${a} replied in a comment thread on “${t}”.`,
  returned: (a, t) => `${a} returned “${t}” for revision.`,
  cosigned: (a, t) => `${a} co-signed “${t}”.`,
  signature_waiting: (a, t) => `“${t}” waits for your signature (${a} has signed).`,
  cosign_waiting: (a, t) => `“${t}” is signed by both therapists and waits for your co-signature (last signature by ${a}).`,
};

const pathFor = (n: NoticeRecord, supervisor: boolean): string =>
  supervisor || n.kind === 'comment' || n.kind === 'reply' ? `/sessions/${n.sessionId}/review` : `/sessions/${n.sessionId}`;

/**
 * The account's inbox, newest first. Notices about sessions the account is no longer a member of
 * are left out: their titles are no longer theirs to read.
 */
export async function inbox(store: Store, account: AccountRecord, limit: number): Promise<NoticesView> {
  const records = await store.notices.list(account.id, limit);
  const accounts = new Map((await store.accounts.list()).map((a) => [a.id, a]));
  const sessions = new Map<string, { title: string; role: string } | null>();
  for (const id of new Set(records.map((r) => r.sessionId))) {
    const [session, member] = await Promise.all([store.sessions.byId(id), store.sessions.member(id, account.id)]);
    sessions.set(id, session && member ? { title: session.title, role: member.role } : null);
  }
  const notices: NoticeView[] = [];
  for (const r of records) {
    const session = sessions.get(r.sessionId);
    if (!session) continue;
    const actorName = r.actorId ? (accounts.get(r.actorId)?.name ?? 'A former member') : null;
    notices.push({
      id: r.id, kind: r.kind, sessionId: r.sessionId, sessionTitle: session.title, actorName,
      text: sentence[r.kind](actorName ?? 'Someone', session.title), path: pathFor(r, session.role === 'supervisor'),
      createdAt: new Date(r.createdAt).toISOString(), read: r.readAt !== null,
    });
  }
  const unread = notices.filter((n) => !n.read).length;
  return { unread, notices };
}
