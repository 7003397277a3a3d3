import type { SessionView } from '../../../shared/domain/session';
import { formatDateTime, kindLabel, memberRoleLabel, statusLabel } from '../../format';
import { Link } from '../../router';
import { TableScroll } from '../../components/TableScroll';

/** Latest first, by the session's date (planned, else started, else created). */
function byDate(a: SessionView, b: SessionView): number {
  return b.date.localeCompare(a.date);
}

/** Supervisors land on the review of a signed note; everyone else opens the note itself. */
function primaryPath(s: SessionView): string {
  const signed = s.status === 'signed' || s.status === 'reviewed';
  return s.myRole === 'supervisor' && signed ? `/sessions/${s.id}/review` : `/sessions/${s.id}`;
}

export function SessionTable({ sessions }: { sessions: SessionView[] }) {
  if (sessions.length === 0) {
    return <p className="empty">No sessions yet. Sessions you are a member of will appear here.</p>;
  }
  return (
    <TableScroll label="Your sessions">
      <table className="table" data-testid="session-table">
        <thead>
          <tr>
            <th scope="col">Session</th>
            <th scope="col">Kind</th>
            <th scope="col">My role</th>
            <th scope="col">Status</th>
            <th scope="col">Date</th>
            <th scope="col">
              <span className="visually-hidden">Review</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {[...sessions].sort(byDate).map((s) => (
            <tr key={s.id}>
              <td>
                <Link to={primaryPath(s)} className="table__primary-link" data-testid="session-link">
                  {s.title}
                </Link>
              </td>
              <td>{kindLabel[s.kind]}</td>
              <td>{s.myRole ? memberRoleLabel[s.myRole] : '—'}</td>
              <td>
                <span className={`status status--${s.status}`}>{statusLabel[s.status]}</span>
              </td>
              <td className="nowrap" title={s.scheduledAt ? 'Planned' : s.startedAt ? 'Started' : 'Created'}>
                {formatDateTime(s.date)}
              </td>
              <td className="table__actions">
                <Link to={`/sessions/${s.id}/review`} data-testid="session-review-link">
                  Review
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
