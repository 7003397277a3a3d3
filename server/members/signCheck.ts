import type { ServiceDeps } from '../services/deps';
import type { SessionRecord } from '../persistence/ports';
import type { RiskGap } from '../../shared/domain/risk';
import type { Actor } from '../auth/policies';
import { readsSession } from '../services/readableSessions';

type Deps = Pick<ServiceDeps, 'store' | 'notes'>;

/** What signing a note waits for, and what a member note's group note says since (`GET /sign-check`). */
export interface SignCheck {
  riskGaps: RiskGap[];
  groupChanges: string[];
}

/** The group session whose words `signCheck` sent the reader (`groupChanges`), which the caller records as a read of it. */
export interface SignCheckRead extends SignCheck {
  groupRead: string | null;
}

/**
 * The checks before signing, each note read from storage and built once for all of them
 * (noteReadings.signCheck): every member tagged risk/safety needs a risk assessment and a plan
 * recorded by a therapist of the session; a member note is flagged when its group note flagged its
 * member (or the member note itself does), and is checked against its own record.
 *
 * `reader`: the account the answer is shown to, who also gets the group note's words for the
 * member (`groupChanges`) — only if they may read the group session (a member in a role their
 * account role fits: services/readableSessions.ts readsSession); for anyone else the
 * group note is not read. Without it (the server's own gate at signing) the group note's flags are
 * read and no words. The group note is read only while a member note awaits signatures: a signed
 * member note keeps its members (they follow the group session's again only once it is returned:
 * followingMembers.followAgain), so one removed from the group session could read the group note
 * as it is now through it.
 */
export async function signCheck(deps: Deps, session: SessionRecord, reader?: Actor & { id: string }): Promise<SignCheckRead> {
  const [note, link, members] = await Promise.all([deps.notes.stored(session.id), deps.store.memberNotes.groupOf(session.id), deps.store.sessions.members(session.id)]);
  const therapists = members.filter((m) => m.role === 'therapist').map((m) => m.accountId);
  const member = session.groupMembers[0];
  const readsGroup = link !== null && member !== undefined && session.status === 'ended' && (reader === undefined || (await readsSession(deps.store, link.groupSessionId, reader)));
  const labels = session.groupMembers;
  if (!readsGroup) return { ...(await deps.notes.read(note, 'signCheck', { group: null, therapists, labels })), groupRead: null };
  const [group, parts] = await Promise.all([deps.store.sessions.byId(link.groupSessionId), deps.notes.stored(link.groupSessionId)]);
  const check = await deps.notes.read(note, 'signCheck', {
    group: group && { parts, members: group.groupMembers, member, changes: reader !== undefined },
    therapists,
    labels,
  });
  return { ...check, groupRead: check.groupChanges.length > 0 ? link.groupSessionId : null };
}
