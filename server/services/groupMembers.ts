import { isLocked, UNLOCKED } from '../../shared/domain/lifecycle';
import { audited } from '../audit/audited';
import { conflict } from '../domain/errors';
import { assertNotedLabelsKept } from '../members/memberNotes';
import { assertRecordedLabelsKept } from '../members/labelRecord';
import { assertRiskLabelsKept } from '../members/riskGate';
import type { SessionRecord } from '../persistence/ports';
import type { ServiceDeps } from './deps';
import { retryWhileStale } from './staleRetry';
import { readAfterStored } from './afterStored';

type Deps = Pick<ServiceDeps, 'store' | 'collab' | 'notes' | 'log'>;

/**
 * Narrows the labels the loaded note takes (write gate: an observation's member, a mention, a risk
 * record) to those staying, before a removal is judged: the judgment read the stored note, an
 * observation naming M2 came in before the removal was stored, and the gate took it on the labels
 * it still held; the removal answered 200 and the note named a member the group no longer had
 * (attack, 7 Dec). Only ever narrows what the note holds; `restore` gives it the stored labels.
 */
function holdLeaving(deps: Deps, session: SessionRecord, labels: readonly string[]): void {
  const held = deps.collab.loaded(session.id)?.session ?? session;
  deps.collab.updateSession({ ...held, groupMembers: held.groupMembers.filter((l) => labels.includes(l)) });
}

async function restore(deps: Deps, id: string): Promise<void> {
  const now = await deps.store.sessions.byId(id);
  if (now) deps.collab.updateSession(now);
}

const changedMeanwhile = (now: readonly string[]) =>
  conflict(
    'labels_changed',
    `The group-member labels changed while you were editing them: they are now ${now.length > 0 ? now.join(' ') : 'none'}. Your list was not saved; check it against these and save again.`,
  );

/**
 * Replaces a group session's member labels with `labels` (their order is the tag palette's digits).
 * `base`: the labels the person's list was edited from; if another change has come since, the
 * save is refused 409 `labels_changed` naming the labels now, so it does not undo that change
 * unseen (two therapists setting up a group at once: 5 Dec). Without `base` (API callers that
 * send the whole list knowingly) the list replaces whatever is there. The labels as they are
 * already change nothing. Also 409 `session_busy` (other changes kept coming), `session_locked`,
 * `member_note`, `risk_member` (riskGate.ts), `member_note_exists` (memberNotes.ts) and
 * `member_in_record` (labelRecord.ts). Audited with counts only: labels are initials.
 */
export async function setGroupMembers(deps: Deps, read: SessionRecord, labels: string[], base: readonly string[] | undefined, actorId: string): Promise<SessionRecord> {
  let session = read;
  // A change stored between the read and the write (any change: the version counts them all) is
  // read again and judged again, a few times; only a change of the labels refuses the save as
  // changed.
  const stored = await retryWhileStale('The session kept changing while your labels were being saved; save them again.', async (round) => {
    if (round > 1) {
      const now = await deps.store.sessions.byId(session.id);
      if (!now) throw changedMeanwhile([]);
      session = now;
    }
    if (isLocked(session.status)) throw conflict('session_locked', 'The note is signed; its group members cannot change.');
    if (await deps.store.memberNotes.groupOf(session.id)) throw conflict('member_note', 'A member note is about one member; its group member cannot change.');
    // The list as it is: nothing to store, audit or tell (an unchanged save bumped the version and
    // made others' saves at the version they had read fail: attack, 5 Dec).
    if (labels.join('\n') === session.groupMembers.join('\n')) return false;
    if (base && base.join('\n') !== session.groupMembers.join('\n')) throw changedMeanwhile(session.groupMembers);
    holdLeaving(deps, session, labels);
    await assertRiskLabelsKept(deps, session, labels);
    await assertNotedLabelsKept(deps, session, labels);
    await assertRecordedLabelsKept(deps, session, labels);
    const added = labels.filter((l) => !session.groupMembers.includes(l)).length;
    const removed = session.groupMembers.filter((l) => !labels.includes(l)).length;
    await deps.store.commit([
      // Unlocked at the commit too (the check above read it earlier; attendance had the same race).
      // At the version judged, with or without `base`: a member note made meanwhile (it bumps the
      // group's version) is judged again (assertNotedLabelsKept; attack, 6 Dec).
      { kind: 'session', id: session.id, patch: { groupMembers: labels }, fromStatuses: UNLOCKED, fromVersion: session.version },
      audited({ actorId, action: 'group_members_changed', sessionId: session.id, detail: { count: labels.length, added, removed } }),
    ]);
    return true;
  }).catch(async (err: unknown) => {
    await restore(deps, session.id);
    throw err;
  });
  if (!stored) return session;
  // Stored, the labels stand: a failed read of the session answered 503 for labels that were saved
  // (fault test, 7 Dec), and left the loaded note without the labels added. Then the session is
  // taken as the change made it (the version it was stored at, bumped).
  const made: SessionRecord = { ...session, groupMembers: labels, version: session.version + 1 };
  const updated = await readAfterStored(deps, 'reading the session', async () => (await deps.store.sessions.byId(session.id)) ?? made, () => made);
  deps.collab.updateSession(updated);
  return updated;
}
