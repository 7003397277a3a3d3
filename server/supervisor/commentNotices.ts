import type { Logger } from '../log';
import { followUpStoredStep } from '../services/afterStored';
import type { CommentRecord, NoticeKind, Store } from '../persistence/ports';
import type { LiveEvents } from './LiveEvents';
import { notify } from './notices';
import { readersOf } from '../services/readableSessions';
import { rootOf } from './threads';

type Deps = { store: Store; live: LiveEvents };

/**
 * After a comment is stored: its author has read its thread; a new comment goes to the session's
 * therapists' inboxes, a reply to everyone in the thread (and to the supervisors, when a therapist
 * answers); every open page of the session's members is told the comments changed.
 */
export async function commentAdded(deps: Deps, sessionId: string, comment: CommentRecord): Promise<void> {
  const rootId = rootOf(comment);
  await deps.store.threads.markRead(sessionId, { rootId, accountId: comment.authorId, readAt: comment.createdAt });
  const members = await deps.store.sessions.members(sessionId);
  const byRole = (role: 'therapist' | 'supervisor') => members.filter((m) => m.role === role).map((m) => m.accountId);
  const thread = comment.parentId === null ? [] : (await deps.store.comments.list(sessionId)).filter((c) => rootOf(c) === rootId).map((c) => c.authorId);
  // The notices are made last: tried again after a failure (noticesOfStoredStep), what came before
  // them is done again harmlessly, and they are not made twice.
  await deps.live.toSession(sessionId, { type: 'comments', sessionId });
  if (comment.parentId === null) {
    await notify(deps, byRole('therapist'), { kind: 'comment', sessionId, actorId: comment.authorId, refId: comment.id });
  } else {
    const memberIds = new Set(members.map((m) => m.accountId));
    const replierIsTherapist = byRole('therapist').includes(comment.authorId);
    const to = [...thread, ...(replierIsTherapist ? byRole('supervisor') : [])].filter((id) => memberIds.has(id));
    await notify(deps, to, { kind: 'reply', sessionId, actorId: comment.authorId, refId: comment.id });
  }
}

/** After a signature, a co-signature or a return: who must act next hears of it. */
export async function lifecycleNotices(
  deps: Deps,
  sessionId: string,
  actorId: string,
  what: { kind: 'signature_waiting'; to: string[] } | { kind: 'cosign_waiting' } | { kind: 'cosigned' } | { kind: 'returned' },
): Promise<void> {
  const members = await deps.store.sessions.members(sessionId);
  const byRole = (role: 'therapist' | 'supervisor') => members.filter((m) => m.role === role).map((m) => m.accountId);
  const to = what.kind === 'signature_waiting' ? what.to : what.kind === 'cosign_waiting' ? byRole('supervisor') : byRole('therapist');
  // What the actor has just done answers what their inbox asked of them: a signature the notice
  // that the note waited for it, a co-signature or a return the one that it waited for the
  // supervisor (a clinic walk, 1 Dec: "waits for your co-signature" stayed unread after it).
  await markAnswered(deps, actorId, sessionId, what.kind === 'cosigned' || what.kind === 'returned' ? 'cosign_waiting' : 'signature_waiting');
  // Whom to tell read through the step's own store (read once there, as notify reads it too).
  deps.live.toAccounts(await readersOf(deps.store, sessionId), { type: 'session', sessionId });
  // Last, as in commentAdded: a try again after a failure does not make them twice.
  await notify(deps, to, { kind: what.kind, sessionId, actorId });
}

/**
 * Member notes just made from a group note: each waits for its therapists' signatures, and says so
 * in their inboxes (walk, 4 Dec: three waited, shown only as a count on the home page). No one
 * caused them but the group's end: the notices name no actor.
 */
export async function memberNotesWaiting(deps: Deps, made: { noteIds: string[]; therapists: string[] }): Promise<void> {
  for (const sessionId of made.noteIds) await notify(deps, made.therapists, { kind: 'signature_waiting', sessionId, actorId: null });
}

/** How far back in an inbox a notice answered by an action is looked for (the newest notices). */
const ANSWERED_LOOKBACK = 500;

async function markAnswered(deps: Deps, accountId: string, sessionId: string, kind: NoticeKind): Promise<void> {
  const ids = (await deps.store.notices.list(accountId, ANSWERED_LOOKBACK)).filter((n) => n.sessionId === sessionId && n.kind === kind && n.readAt === null).map((n) => n.id);
  if (ids.length === 0) return;
  await deps.store.notices.markRead(accountId, ids, Date.now());
  deps.live.toAccounts([accountId], { type: 'notices' });
}

/**
 * Makes the notices of a step already stored (signed, co-signed, returned): the step's answer says
 * it was taken whatever they do. A failure answered 503 to a signature that had locked the note,
 * whose retry was then refused as "signed", and the supervisor's notice was lost (attack, 4 Dec):
 * it is logged and tried again on a timer, with backoff, while the answer goes out.
 */
export function noticesOfStoredStep(deps: { log: Logger }, make: () => Promise<void>): Promise<void> {
  return followUpStoredStep(deps, 'the notices of a stored step', make);
}
