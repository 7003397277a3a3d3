import type { SessionView } from '../../../shared/domain/session';
import { isLocked } from '../../../shared/domain/lifecycle';
import { deriveMemberNotes, setAttendance, type Attendance } from '../../api/memberNotes';
import { FormError } from '../../components/FormError';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { useLiveUpdates } from '../../api/liveEvents';
import { useSubmit } from '../../components/useSubmit';
import { Link } from '../../router';
import { useMemberNotes } from './useMemberNotes';

const STATUS_TEXT: Record<string, string> = { ended: 'to sign', signed: 'signed', reviewed: 'reviewed' };

/**
 * Each group member's attendance, and once the session ended, their individual note: derived from
 * the group note, kept in that member's chart. Absent members get none.
 */
export function MemberNotesPanel({ session, canEdit }: { session: SessionView; canEdit: boolean }) {
  const load = {
    state: loadStateOf(useMemberNotes(session)),
    reload: useStale(keys.session(session.id, 'memberNotes')),
  };
  // The co-therapist's attendance changes arrive as a session event.
  useLiveUpdates();
  const change = useSubmit(async (member: string, attendance: Attendance) => {
    await setAttendance(session.id, { [member]: attendance });
    load.reload();
  });
  const derive = useSubmit(async () => {
    await deriveMemberNotes(session.id);
    load.reload();
  });
  if (session.groupMembers.length === 0) return null;
  const ended = session.status !== 'scheduled' && session.status !== 'live';
  const members = load.state.status === 'ok' ? load.state.data.members : [];
  const missing = ended && members.some((m) => m.attendance !== 'absent' && m.noteSessionId === null);

  return (
    <section className="panel" aria-labelledby="member-notes-title" data-testid="member-notes-panel">
      <h2 className="panel__title" id="member-notes-title">
        Attendance and member notes
      </h2>
      {load.state.status !== 'ok' ? (
        <PageState state={load.state} onRetry={load.reload} what="the members" />
      ) : (
        <ul className="member-notes">
          {members.map((m) => (
            <li key={m.member} className="member-notes__row" data-testid={`member-note-${m.member}`}>
              <span className="member-badge">{m.member}</span>
              {canEdit && !isLocked(session.status) && m.noteSessionId === null ? (
                <select
                  aria-label={`Attendance of ${m.member}`}
                  value={m.recorded ? m.attendance : ''}
                  disabled={change.isPending}
                  onChange={(e) => void change.run(m.member, e.target.value as Attendance)}
                  data-testid={`attendance-${m.member}`}
                >
                  {!m.recorded && (
                    <option value="" disabled>
                      not recorded
                    </option>
                  )}
                  <option value="present">present</option>
                  <option value="late">late</option>
                  <option value="absent">absent</option>
                </select>
              ) : (
                <span className="muted">{m.recorded || m.noteSessionId ? m.attendance : 'not recorded'}</span>
              )}
              {m.noteSessionId ? (
                <Link to={`/sessions/${m.noteSessionId}`} data-testid={`member-note-link-${m.member}`}>
                  Note — {STATUS_TEXT[m.status ?? ''] ?? m.status}
                </Link>
              ) : (
                <span className="muted">{m.attendance === 'absent' ? 'no note (absent)' : ended ? 'no note yet' : 'note made at the end'}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && missing && (
        <button type="button" className="button button--small" onClick={() => void derive.run()} disabled={derive.isPending} data-testid="derive-member-notes">
          Make the missing member notes
        </button>
      )}
      <FormError error={change.error ?? derive.error} />
    </section>
  );
}
