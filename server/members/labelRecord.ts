/**
 * After a group session ends its member labels are the record of who was there and who was not:
 * attendance, member notes, risk records and observations are kept by label. Only a member note
 * kept a label (assertNotedLabelsKept), so B took away 'M2', marked absent, after the end (PUT
 * group-members, 200): the group's record no longer said M2 had been absent, and the note's
 * observations and mentions of M2 named a member the group no longer had (attack, 7 Dec). A label
 * is judged by what taking it away would do to the record.
 */
import { conflict } from '../domain/errors';
import type { SessionRecord } from '../persistence/ports';
import type { ServiceDeps } from '../services/deps';
import { parseAttendance } from './attendance';

const names = new Intl.ListFormat('en', { type: 'conjunction' });

/**
 * Refuses taking away, after the end, the label of a member whose attendance was recorded or whom
 * the note names (an observation's member, a risk record, a mention, the label as a word): 409
 * `member_in_record`, naming each and why. A label in none of them (one added after the end by
 * mistake, say) may still go; before the end the labels are still being set up, and are judged by
 * assertRiskLabelsKept alone.
 */
export async function assertRecordedLabelsKept(deps: Pick<ServiceDeps, 'store' | 'notes'>, group: SessionRecord, labels: readonly string[]): Promise<void> {
  const removed = group.groupMembers.filter((l) => !labels.includes(l));
  if (group.status !== 'ended' || removed.length === 0) return;
  const [attendance, named] = await Promise.all([deps.store.memberNotes.attendance(group.id).then(parseAttendance), deps.notes.readStored(group.id, 'namedMembers', removed)]);
  const why = removed.flatMap((l) => {
    const reasons = [...(attendance[l] ? [`recorded ${attendance[l]}`] : []), ...(named.includes(l) ? ['named in the note'] : [])];
    return reasons.length > 0 ? [`${l} (${reasons.join(', ')})`] : [];
  });
  if (why.length === 0) return;
  throw conflict('member_in_record', `The session has ended, and its labels are the record of who was there: ${names.format(why)} ${why.length === 1 ? 'is' : 'are'} part of it, so the label stays.`, 'labels');
}
