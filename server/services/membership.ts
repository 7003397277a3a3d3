import { isLocked } from '../../shared/domain/lifecycle';
import type { MemberRole } from '../../shared/domain/roles';
import type { ServiceDeps } from './deps';
import { invalid, notFound, conflict, type DomainError } from '../domain/errors';
import type { AtomicWrite, MemberRecord, SessionRecord } from '../persistence/ports';
import { followingChange, type FollowingChange } from '../members/followingMembers';
import { grantRefusal } from './memberGrants';
import { retryWhileStale } from './staleRetry';

/**
 * A change of members is stored at the version of the process notes' own session it read
 * (followingMembers.ts), and worked out again when a keeper step was stored meanwhile.
 */
const BUSY = 'The session’s process notes kept changing while its members were being changed; do it again.';

type Deps = Pick<ServiceDeps, 'store' | 'access' | 'collab'>;

/**
 * Who changes a session's members: one of its therapists, bound by the rules below, or an admin,
 * who may override them and must say why (the reason is audited).
 */
export type MembershipActor = { kind: 'therapist' } | { kind: 'admin'; reason: string };

/*
 * The rules, as a clinic expects them of a record two people wrote and signed:
 * - a therapist who has written in the note stays a member until it is locked, so a co-author can
 *   neither be dropped to sign alone nor lose sight of what is signed in their name;
 * - once the note is locked (signed, reviewed) its membership is frozen: nobody can remove the
 *   supervisor who is to co-sign it, or bring in someone new to read it;
 * - an admin may make any change but leaving no therapist, giving a reason.
 */

const frozen = () =>
  conflict('membership_frozen', 'The note is signed, so its members can no longer change; an admin can change them, giving a reason.');

function assertOpen(session: SessionRecord, actor: MembershipActor): void {
  if (actor.kind === 'therapist' && isLocked(session.status)) throw frozen();
}

/**
 * The accounts that have written in the session's note (bound to one of its Yjs client ids): the
 * stored bindings, and those of words this process took in that are still on their way to storage
 * (a co-author's first words, stored a moment after a removal that read only the store, stayed in
 * the note with their writer removed: attack, 4 Dec). Another process's words in flight are not
 * seen here; signing refuses a note with a writer removed so (removedAuthors.ts). The authors of a
 * blind session's private observations too: the server writes those into the note at the reveal,
 * under no client id of theirs (a co-therapist who had only observed privately was removed, and
 * the other signed alone over their risk flag: attack, 4 Dec).
 */
export async function noteWriters(deps: Pick<Deps, 'store' | 'collab'>, sessionId: string): Promise<ReadonlySet<string>> {
  const live = deps.collab.loaded(sessionId)?.clientAccounts.values() ?? [];
  const [bound, observed, blind, members] = await Promise.all([
    deps.store.bindings.forSession(sessionId), deps.store.learning.blindObservations(sessionId), deps.store.learning.blindSetting(sessionId), deps.store.sessions.members(sessionId),
  ]);
  // Until the reveal every therapist counts, whether or not they kept anything: whom the session
  // page let be removed told the co-therapist the moment the other first observed (attack, 4 Dec).
  const keptPrivate = blind?.enabled && blind.revealedAt === null ? members.filter((m) => m.role === 'therapist').map((m) => m.accountId) : [];
  return new Set([...bound.values(), ...live, ...observed.map((o) => o.authorId), ...keptPrivate]);
}

/**
 * Why `actor` may not remove `accountId` from a session of `members` (the error removeMember
 * throws), or null. The session page asks it too, so a therapist is not offered a Remove the
 * server would refuse.
 */
export function removalRefusal(members: readonly MemberRecord[], writers: ReadonlySet<string>, accountId: string, actor: MembershipActor): DomainError | null {
  const target = members.find((m) => m.accountId === accountId);
  if (!target) return notFound('That member');
  if (target.role === 'therapist' && members.filter((m) => m.role === 'therapist').length === 1) {
    return invalid('last_therapist', 'A session needs at least one therapist.', 'userId');
  }
  if (actor.kind === 'therapist' && target.role === 'therapist' && writers.has(accountId)) {
    // Not "has written": in a blind session every therapist is one until the reveal, and the
    // aside saying so stood in every ordinary session too (walk, 6 Dec).
    return conflict('author_member', 'This therapist is one of the note’s authors, so they stay a member until it is signed; an admin can remove them, giving a reason.');
  }
  return null;
}

/** What the audit record of a change adds for an admin's override: that it was one, and why. */
const overrideDetail = (actor: MembershipActor) => (actor.kind === 'admin' ? { override: true, reason: actor.reason } : {});

/**
 * Adds a member or changes their role, with its audit record in one unit of work, and the same in
 * the session's process notes and member notes (members/followingMembers.ts); an open socket
 * under an old role reconnects with the new one. `actorId` is who made the change.
 */
export async function putMember(deps: Deps, session: SessionRecord, actor: MembershipActor & { actorId: string }, userId: string, role: MemberRole): Promise<void> {
  assertOpen(session, actor);
  const refusal = grantRefusal(await deps.store.accounts.byId(userId), role);
  if (refusal) throw refusal;
  await retryWhileStale(BUSY, () => putOnce(deps, session, actor, userId, role));
}

/** putMember's change, read and stored once (stale: a keeper step came meanwhile). */
async function putOnce(deps: Deps, session: SessionRecord, actor: MembershipActor & { actorId: string }, userId: string, role: MemberRole): Promise<void> {
  const existing = await deps.store.sessions.member(session.id, userId);
  const now = Date.now();
  // A role change that would take a record follower from a therapist who wrote in it is refused, as a removal is.
  const following = await followingChange(deps.store, session, userId, role, actor.actorId, (id) => followerRefusal(deps, id, userId, actor), overrideDetail(actor));
  await deps.store.commit([
    { kind: 'putMember', member: { sessionId: session.id, accountId: userId, role, addedAt: existing?.addedAt ?? now } },
    { kind: 'audit', entry: { at: now, actorId: actor.actorId, action: 'member_added', sessionId: session.id, detail: { accountId: userId, role, ...overrideDetail(actor) } } },
    ...following.writes,
  ]);
  if (existing && existing.role !== role) {
    deps.access.memberRoleChanged(session.id, userId);
  }
  tellFollowers(deps, following, userId);
}

/** Why `userId` may not leave the follower session `sessionId` (see removalRefusal), or null. */
async function followerRefusal(deps: Deps, sessionId: string, userId: string, actor: MembershipActor): Promise<DomainError | null> {
  return removalRefusal(await deps.store.sessions.members(sessionId), await noteWriters(deps, sessionId), userId, actor);
}

/** Closes or reopens the sockets `userId` has on the followers that changed. */
function tellFollowers(deps: Deps, following: FollowingChange, userId: string): void {
  for (const id of following.removedFrom) deps.access.memberRemoved(id, userId);
  for (const id of following.roleChangedIn) deps.access.memberRoleChanged(id, userId);
}

/** Removes a member, from the session's process notes and member notes too, with the audit records in one unit of work, and closes their sockets on each (4403). */
export async function removeMember(deps: Deps, session: SessionRecord, actor: MembershipActor & { actorId: string }, userId: string): Promise<void> {
  assertOpen(session, actor);
  await retryWhileStale(BUSY, () => removeOnce(deps, session, actor, userId));
}

/** removeMember's change, read and stored once (stale: a keeper step came meanwhile). */
async function removeOnce(deps: Deps, session: SessionRecord, actor: MembershipActor & { actorId: string }, userId: string): Promise<void> {
  const [members, writers] = await Promise.all([deps.store.sessions.members(session.id), noteWriters(deps, session.id)]);
  const audit = (detail: Record<string, unknown>): AtomicWrite => ({ kind: 'audit', entry: { at: Date.now(), actorId: actor.actorId, action: 'member_removed', sessionId: session.id, detail: { accountId: userId, ...overrideDetail(actor), ...detail } } });
  // One who wrote and was removed before (words on their way as a therapist removed them): an
  // admin's removal, with its reason, is the one signing waits for (author_removed). They were not
  // a member any more, so it was 404, also once deactivated (attack, 4 Dec).
  if (actor.kind === 'admin' && writers.has(userId) && !members.some((m) => m.accountId === userId)) return void (await deps.store.commit([audit({ alreadyRemoved: true })]));
  const refusal = removalRefusal(members, writers, userId, actor);
  if (refusal) throw refusal;
  const following = await followingChange(deps.store, session, userId, null, actor.actorId, (id) => followerRefusal(deps, id, userId, actor), overrideDetail(actor));
  await deps.store.commit([
    { kind: 'removeMember', sessionId: session.id, accountId: userId },
    audit({}),
    ...following.writes,
  ]);
  deps.access.memberRemoved(session.id, userId);
  tellFollowers(deps, following, userId);
}
