import { randomUUID } from 'node:crypto';
import type { SessionStatus } from '../../shared/domain/session';
import type { NoticeKindView, NoticeNow, NoticesView, NoticeView } from '../../shared/domain/supervisor';
import { isLocked } from '../../shared/domain/lifecycle';
import type { MemberRole } from '../../shared/domain/roles';
import type { AccountRecord, NoticeKind, NoticeRecord, SessionRecord, Store } from '../persistence/ports';
import { currentRound } from '../services/signatureRound';
import { signingState } from '../services/signingState';
import { readersOf, sessionsReadBy } from '../services/readableSessions';
import { removalAsksNow, type RemovalAskNow } from '../members/removalAskNow';
import type { LiveEvents } from './LiveEvents';
import { lockNoticeText, parseSignerChangeRef, type ChangedSigner } from './lockNoticeWords';

type Deps = { store: Store; live: LiveEvents };

/**
 * Puts a notice in each person's inbox (never the one who caused it) and tells their open pages.
 * Called after the action it reports is stored and audited. Only those who may read the session
 * now get it (readersOf): a therapist made an admin got both (attack, 6 Dec). With `replaces`, each
 * notice takes the place of the reader's earlier ones of those kinds by the same actor about the
 * same session: a step its actor can repeat at will says where it stands now, once.
 */
export async function notify(
  deps: Deps,
  to: Iterable<string>,
  notice: { kind: NoticeKind; sessionId: string; actorId: string | null; refId?: string | null; replaces?: readonly NoticeKind[] },
): Promise<void> {
  await notifyAll(deps, notice.sessionId, [{ to, ...notice }], notice.replaces);
}

/**
 * notify, for several notices about one session: who may read it is read once, and the notices
 * are stored in one unit of work, all or none, so a try again after a failure stores none twice
 * (a blind reveal's flags, one notice each: 1,000 took 470 ms more one by one, 7 Dec).
 */
export async function notifyAll(
  deps: Deps,
  sessionId: string,
  notices: readonly { to: Iterable<string>; kind: NoticeKind; actorId: string | null; refId?: string | null }[],
  replaces?: readonly NoticeKind[],
): Promise<void> {
  const now = Date.now();
  const readers = new Set(await readersOf(deps.store, sessionId));
  const records = notices.flatMap((n) =>
    [...new Set(n.to)].filter((id) => id !== n.actorId && readers.has(id)).map((accountId): NoticeRecord => ({
      id: randomUUID(), accountId, kind: n.kind, sessionId, actorId: n.actorId, refId: n.refId ?? null, createdAt: now, readAt: null,
    })),
  );
  if (records.length === 0) return;
  await (replaces ? deps.store.notices.replace(records, replaces) : deps.store.notices.create(records));
  deps.live.toAccounts(new Set(records.map((r) => r.accountId)), { type: 'notices' });
}

type LockKind = Extract<NoticeKind, 'lock_waiting' | 'signatures_left'>;
const isLockNotice = (kind: NoticeKind): kind is LockKind => kind === 'lock_waiting' || kind === 'signatures_left';

/**
 * After a flag notice of a note locked with the flag unanswered: it still asked, and counted
 * unread, though nobody could answer it any more (walk, 7 Dec: Bea's inbox after both signed).
 */
const UNANSWERED_AT_LOCK = ' It was not answered before the note was locked; it can no longer be answered there.';
/** A flag notice's kind as read now (NoticeKindView). */
const viewKind = (kind: NoticeKind, status: SessionStatus): NoticeKindView => (kind === 'flag' && isLocked(status) ? 'flag_unanswered' : kind);

const sentence: Record<Exclude<NoticeKind, LockKind>, (actor: string, title: string) => string> = {
  flag: (a, t) => `${a} flagged something for you in “${t}”.`,
  flag_answered: (a, t) => `${a} flagged something for you in “${t}”; the flag has been answered in the note.`,
  comment: (a, t) => `${a} commented on “${t}”.`,
  reply: (a, t) => `${a} replied in a comment thread on “${t}”.`,
  returned: (a, t) => `${a} returned “${t}” for revision.`,
  cosigned: (a, t) => `${a} co-signed “${t}”.`,
  signature_waiting: (a, t) => `“${t}” waits for your signature (${a} has signed).`,
  cosign_waiting: (a, t) => `“${t}” is signed by both therapists and waits for your co-signature (last signature by ${a}).`,
  process_removal_asked: (a, t) => `${a} asked to remove the process notes of “${t}” for good; they are removed only if you agree.`,
  process_removal_withdrawn: (a, t) => `${a} withdrew their ask to remove the process notes of “${t}”; they are kept.`,
  locked_without_you: (a, t) => `“${t}” was locked while your account could not sign it, so it carries no signature of yours (${a} has changed your account back). If you do not agree with it, tell the supervisor: until they co-sign it, they can return it for revision.`,
};

type AskingKind = Extract<NoticeKind, 'signature_waiting' | 'cosign_waiting'>;
const isAsking = (kind: NoticeKind): kind is AskingKind => kind === 'signature_waiting' || kind === 'cosign_waiting';

/** A notice that asked for what has since been done (or made moot) says so, in the past tense. */
const asked: Record<AskingKind, (actor: string, title: string) => string> = {
  signature_waiting: (a, t) => `“${t}” waited for your signature (${a} had signed)`,
  cosign_waiting: (a, t) => `“${t}” was signed by both therapists for your co-signature (last signature by ${a})`,
};
/** Where a note that asked for a signature or a co-signature stands (nowOf). */
type SignatureNow = Extract<NoticeNow, 'waiting' | 'signed' | 'resign' | 'cosigned' | 'returned'>;
const since: Record<Exclude<SignatureNow, 'waiting'>, (actor: string) => string> = {
  signed: () => 'you have signed it since',
  resign: (a) => `you signed it after it changed, so it waits for ${a} to sign it again`,
  cosigned: () => 'it is co-signed now',
  returned: () => 'it was returned for revision since',
};

/**
 * A session as its notices are read: its title, its status, the signatures of its current round,
 * when it was last returned (ms, null: never), and the names of the therapists it waits for (the
 * reader's id as such; only where a lock notice needs them).
 */
type SessionNow = {
  title: string; status: SessionStatus; signatures: { actorId: string; digest: string | null }[]; returnedAt: number | null; awaited: { id: string; name: string }[];
  /** Where each keeper's ask to remove the process notes stands for the reader (`others` by name); only where a notice of one needs it. */
  removalAsk: (askerId: string) => RemovalAskNow;
};

/**
 * Where the note stands now for the reader of a notice that asked them to act. A clinic walk:
 * "waits for your co-signature" still showed after the supervisor had co-signed; and "you have
 * signed it since" after the reader's own later edit had left the asker's signature on an older note.
 */
function nowOf(kind: AskingKind, session: Omit<SessionNow, 'title'>, notice: NoticeRecord, readerId: string): SignatureNow {
  if (session.status === 'reviewed') return 'cosigned';
  if (kind === 'cosign_waiting') return session.status === 'ended' ? 'returned' : 'waiting';
  if (session.status === 'signed') return 'signed';
  // Returned since it asked: the signature it told of is no longer the note's (walk, 4 Dec).
  if (session.returnedAt !== null && session.returnedAt > notice.createdAt) return 'returned';
  const actorId = notice.actorId;
  const mine = session.signatures.filter((s) => s.actorId === readerId).at(-1);
  // Another signed a later note after the reader did: the reader's signature is the older one.
  if (!mine || mine.digest !== session.signatures.at(-1)?.digest) return 'waiting';
  const askerSignedMine = actorId === null || session.signatures.some((s) => s.actorId === actorId && s.digest === mine.digest);
  return askerSignedMine ? 'signed' : 'resign';
}

/**
 * What a notice of a keeper's ask to remove the process notes, or its withdrawal, says now
 * (removalAskNow.ts): the ask's words only while it waits for the reader.
 */
function removalAskWords(notice: NoticeRecord, actor: string, session: SessionNow): { now: NoticeNow | null; text: string } {
  const ask = session.removalAsk(notice.actorId ?? '');
  const asked = `${actor} asked to remove the process notes of “${session.title}” for good`;
  if (ask.now === 'removed') return { now: 'removed', text: `${notice.kind === 'process_removal_asked' ? asked : `${actor} withdrew their ask to remove the process notes of “${session.title}”`}; they were removed since.` };
  if (notice.kind === 'process_removal_withdrawn') return { now: null, text: sentence[notice.kind](actor, session.title) };
  if (!('others' in ask)) return { now: 'lapsed', text: `${asked}; that ask no longer stands, so nothing waits for you, and they are kept.` };
  const others = ask.others.length > 0 ? names.format(ask.others) : null;
  if (ask.now === 'agreed') return { now: 'agreed', text: `${asked}; you agreed${others ? `, and they are removed once ${others} ${ask.others.length === 1 ? 'agrees' : 'agree'} too` : ''}.` };
  return { now: 'waiting', text: `${asked}; they are removed only if you${others ? ` and ${others}` : ''} agree.` };
}

/** The therapist a lock notice is about, as read now (lockNoticeWords.ts); null for one stored before it named them. */
function changedSigner(notice: NoticeRecord, session: SessionNow, nameOf: (id: string) => string): ChangedSigner | null {
  const ref = parseSignerChangeRef(notice.refId);
  return ref && { change: ref.change, name: nameOf(ref.accountId), awaitedAgain: session.awaited.some((a) => a.id === ref.accountId) };
}

/** What a notice says to its reader now, and (for one that asked them to act) where the note stands. */
function wordsOf(notice: NoticeRecord, actor: string, session: SessionNow, readerId: string, nameOf: (id: string) => string): { now: NoticeNow | null; text: string } {
  const { kind } = notice;
  if (kind === 'process_removal_asked' || kind === 'process_removal_withdrawn') return removalAskWords(notice, actor, session);
  // Told it locks at a press: once locked (or co-signed) it says so, not to press Sign still.
  if (isLockNotice(kind)) return { now: null, text: lockNoticeText(kind, actor, session.title, session.status, changedSigner(notice, session, nameOf), () => leftToLock(session, readerId)) };
  if (!isAsking(kind)) return { now: null, text: sentence[kind](actor, session.title) + (kind === 'flag' && isLocked(session.status) ? UNANSWERED_AT_LOCK : '') };
  const now = nowOf(kind, session, notice, readerId);
  // A member note made at its group's end: nobody had signed it (memberNotesWaiting).
  if (kind === 'signature_waiting' && notice.actorId === null) {
    return { now, text: now === 'waiting' ? `“${session.title}” was made from its group note and waits for your signature.` : `“${session.title}” waited for your signature; ${since[now](actor)}.` };
  }
  if (now !== 'waiting') return { now, text: `${asked[kind](actor, session.title)}; ${since[now](actor)}.` };
  // The reader signed in this round, but not the note as the asker signed it: the note changed
  // after the reader signed. "Waits for your signature" alone read as a mistake to the one who had
  // signed already (walk, 4 Dec, M1).
  const signedBefore = kind === 'signature_waiting' && session.signatures.some((s) => s.actorId === readerId);
  return { now, text: signedBefore ? `“${session.title}” changed after you signed it: ${actor} has signed it as it is now, and it waits for your signature again.` : sentence[kind](actor, session.title) };
}

const names = new Intl.ListFormat('en', { type: 'conjunction' });

/**
 * What is left to lock a note no one press locks, in words: each therapist it waits for signing
 * the note as it stands (several must still sign, or their signatures are of different versions).
 * The list is read fresh; whose signature is of which version is the sign panel's to show.
 */
function leftToLock(session: SessionNow, readerId: string): string {
  const who = [...session.awaited].sort((x, y) => Number(y.id === readerId) - Number(x.id === readerId)).map((p) => (p.id === readerId ? 'you' : p.name));
  return `It is not locked, and no one signature locks it now: it locks once ${names.format(who)} have each signed it as it stands (a signature of an earlier version no longer counts). Read it first.`;
}

const pathFor = (n: NoticeRecord, supervisor: boolean): string =>
  supervisor || n.kind === 'comment' || n.kind === 'reply' ? `/sessions/${n.sessionId}/review` : `/sessions/${n.sessionId}`;

/**
 * The account's newest `limit` notices about sessions it may read now, with each session's title
 * and its role there. Notices about sessions the account is no longer a member of, or whose
 * membership its role no longer fits, are left out: their titles are no longer theirs to read.
 * The store is asked for the readable sessions' notices alone: taken from the newest `limit`
 * before leaving any out, a person saw fewer than the limit, or none (attack, 6 Dec), and reading
 * on twice as far until enough read every notice of a session they had left, on each look at the
 * inbox (50,000 such notices: 2.2 s of one SQLite server's time, for every person, per look).
 */
async function readableNotices(store: Store, account: AccountRecord, limit: number): Promise<{ records: NoticeRecord[]; sessions: Map<string, { session: SessionRecord; role: MemberRole }> }> {
  const readable = await sessionsReadBy(store, account);
  const records = await store.notices.list(account.id, limit, readable.map((s) => s.id));
  const sessions = new Map<string, { session: SessionRecord; role: MemberRole }>();
  for (const id of new Set(records.map((r) => r.sessionId))) {
    const member = await store.sessions.member(id, account.id);
    if (member) sessions.set(id, { session: readable.find((s) => s.id === id)!, role: member.role });
  }
  // Left between the two reads: not shown, as at the next look.
  return { records: records.filter((r) => sessions.has(r.sessionId)), sessions };
}

/** The account's inbox, newest first (readableNotices). */
export async function inbox(store: Store, account: AccountRecord, limit: number): Promise<NoticesView> {
  const { records, sessions: readable } = await readableNotices(store, account, limit);
  const accounts = new Map((await store.accounts.list()).map((a) => [a.id, a]));
  const nameOf = (id: string) => accounts.get(id)?.name ?? 'A former member';
  const sessions = new Map<string, SessionNow & { role: string }>();
  // Who signed matters only to a notice that asked for a signature (nowOf).
  const askedToSign = new Set(records.filter((r) => r.kind === 'signature_waiting').map((r) => r.sessionId));
  const leftToSign = new Set(records.filter((r) => isLockNotice(r.kind)).map((r) => r.sessionId));
  const removalAsked = new Set(records.filter((r) => r.kind === 'process_removal_asked' || r.kind === 'process_removal_withdrawn').map((r) => r.sessionId));
  for (const id of new Set(records.map((r) => r.sessionId))) {
    const { session, role } = readable.get(id)!;
    const events = askedToSign.has(id) ? await store.events.list(id) : [];
    const signatures = currentRound(events).map((e) => ({ actorId: e.actorId, digest: e.digest }));
    const returnedAt = events.filter((e) => e.kind === 'returned').at(-1)?.at ?? null;
    const awaited = leftToSign.has(id) && session.status === 'ended' ? (await signingState(store, session)).awaited : [];
    const asks = removalAsked.has(id) ? await removalAsksNow(store, id, account.id) : () => ({ now: 'lapsed' as const });
    const removalAsk = (askerId: string): RemovalAskNow => {
      const ask = asks(askerId);
      return 'others' in ask ? { ...ask, others: ask.others.map(nameOf) } : ask;
    };
    sessions.set(id, { title: session.title, role, status: session.status, signatures, returnedAt, awaited: awaited.map((a) => ({ id: a, name: nameOf(a) })), removalAsk });
  }
  const notices: NoticeView[] = [];
  for (const r of records) {
    const session = sessions.get(r.sessionId)!;
    const actorName = r.actorId ? nameOf(r.actorId) : null;
    notices.push({
      id: r.id, kind: viewKind(r.kind, session.status), sessionId: r.sessionId, sessionTitle: session.title, actorName,
      ...wordsOf(r, actorName ?? 'Someone', session, account.id, nameOf), path: pathFor(r, session.role === 'supervisor'),
      createdAt: new Date(r.createdAt).toISOString(), read: r.readAt !== null,
    });
  }
  const unread = notices.filter((n) => !n.read).length;
  return { unread, notices };
}
