import { audited } from '../audit/audited';
import type { AtomicWrite, MemberRecord, SessionRecord, Store } from '../persistence/ports';
import { holdingMembers } from './memberGrants';

/** The team a session continuing `previous` starts with, and the join time each of them gets. */
export interface ContinuedTeam {
  /** The previous session's members who may still hold their role (memberGrants.ts), in join order. */
  team: MemberRecord[];
  /** A continued group keeps its team's join order, so each person keeps their colour (sessionColors) week to week. */
  joinedAt(accountId: string): number;
}

/**
 * Who of `previous`'s team comes to the session that continues it. A deactivated account, or one
 * whose role no longer fits its membership, is not copied (attack, 6 Dec: both were, unchecked).
 */
export async function continuedTeam(store: Pick<Store, 'sessions' | 'accounts'>, previous: SessionRecord, now: number): Promise<ContinuedTeam> {
  const team = await holdingMembers(store, await store.sessions.members(previous.id));
  // Walk, 4 Dec: the co-therapist who made the next session came first in it.
  return { team, joinedAt: (accountId) => now + Math.max(0, team.findIndex((m) => m.accountId === accountId)) };
}

/**
 * The writes that put the new session in the previous one's recurring group, with the team of
 * `continuedTeam` (the labels came with the record). Each person copied is a membership change
 * like any other, audited as `member_added` (with the session it `continued`) in the same unit of
 * work (attack, 6 Dec: the team was copied with no record per person, only `session_created`).
 */
export async function continueGroupWrites(
  store: Pick<Store, 'memberNotes'>, previous: SessionRecord, continued: ContinuedTeam, sessionId: string, actorId: string, now: number,
): Promise<AtomicWrite[]> {
  const groupId = (await store.memberNotes.groupIdOf(previous.id)) ?? previous.id;
  return [
    { kind: 'joinGroup', sessionId: previous.id, groupId, at: previous.createdAt },
    { kind: 'joinGroup', sessionId, groupId, at: now },
    ...continued.team.filter((m) => m.accountId !== actorId).flatMap((m): AtomicWrite[] => [
      { kind: 'putMember', member: { sessionId, accountId: m.accountId, role: m.role, addedAt: continued.joinedAt(m.accountId) } },
      audited({ actorId, action: 'member_added', sessionId, detail: { accountId: m.accountId, role: m.role, continued: previous.id } }, now),
    ]),
  ];
}
