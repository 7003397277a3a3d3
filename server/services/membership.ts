import { isLocked } from '../../shared/domain/lifecycle';
import type { MemberRole } from '../../shared/domain/roles';
import { memberRoleFits } from '../auth/policies';
import type { ServiceDeps } from './deps';
import { invalid, notFound, conflict, type DomainError } from '../domain/errors';
import type { MemberRecord, SessionRecord } from '../persistence/ports';

type Deps = Pick<ServiceDeps, 'store' | 'access'>;

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

/** The accounts that have written in the session's note (bound to one of its Yjs client ids). */
export async function noteWriters(deps: Pick<Deps, 'store'>, sessionId: string): Promise<ReadonlySet<string>> {
  return new Set((await deps.store.bindings.forSession(sessionId)).values());
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
    return conflict('author_member', 'This therapist has written in the note, so they stay a member until it is signed; an admin can remove them, giving a reason.');
  }
  return null;
}

/** What the audit record of a change adds for an admin's override: that it was one, and why. */
const overrideDetail = (actor: MembershipActor) => (actor.kind === 'admin' ? { override: true, reason: actor.reason } : {});

/**
 * Adds a member or changes their role, with its audit record in one unit of work; an open socket
 * under an old role reconnects with the new one. `actorId` is who made the change.
 */
export async function putMember(deps: Deps, session: SessionRecord, actor: MembershipActor & { actorId: string }, userId: string, role: MemberRole): Promise<void> {
  assertOpen(session, actor);
  const account = await deps.store.accounts.byId(userId);
  if (!account?.active) throw invalid('unknown_user', 'No active account has this id.', 'userId');
  if (!memberRoleFits(account.role, role)) throw invalid('role_mismatch', `A ${account.role} account cannot be a ${role} of a session.`, 'role');
  const existing = await deps.store.sessions.member(session.id, userId);
  const now = Date.now();
  await deps.store.commit([
    { kind: 'putMember', member: { sessionId: session.id, accountId: userId, role, addedAt: existing?.addedAt ?? now } },
    { kind: 'audit', entry: { at: now, actorId: actor.actorId, action: 'member_added', sessionId: session.id, detail: { accountId: userId, role, ...overrideDetail(actor) } } },
  ]);
  if (existing && existing.role !== role) {
    deps.access.memberRoleChanged(session.id, userId);
  }
}

/** Removes a member, with its audit record in one unit of work, and closes their sockets on the note (4403). */
export async function removeMember(deps: Deps, session: SessionRecord, actor: MembershipActor & { actorId: string }, userId: string): Promise<void> {
  assertOpen(session, actor);
  const refusal = removalRefusal(await deps.store.sessions.members(session.id), await noteWriters(deps, session.id), userId, actor);
  if (refusal) throw refusal;
  await deps.store.commit([
    { kind: 'removeMember', sessionId: session.id, accountId: userId },
    { kind: 'audit', entry: { at: Date.now(), actorId: actor.actorId, action: 'member_removed', sessionId: session.id, detail: { accountId: userId, ...overrideDetail(actor) } } },
  ]);
  deps.access.memberRemoved(session.id, userId);
}
