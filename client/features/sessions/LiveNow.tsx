import { useQuery } from '@tanstack/react-query';
import { searchSessions } from '../../api/supervisor';
import { formatDateTime, kindLabel, memberRoleLabel } from '../../format';
import { keys } from '../../query/keys';
import { Link } from '../../router';

/**
 * The sessions of mine running now, first on the home page: "My notes" is what waits for a
 * signature, and a therapist opening the app during her session found it only down in All
 * sessions (walk, 6 Dec). Process notes are live from the start and are not a session being held.
 * Nothing shows while the list loads or when it failed: All sessions, read from the same answer,
 * says so below.
 */
export function LiveNow() {
  const { data } = useQuery({ queryKey: keys.sessions({}), queryFn: () => searchSessions({}) });
  const live = (data ?? []).filter((s) => s.status === 'live' && s.processNoteOf === null);
  if (live.length === 0) return null;
  return (
    <section className="panel live-now" aria-labelledby="live-now-title" data-testid="live-now">
      <h2 className="panel__title" id="live-now-title">Live now</h2>
      <ul className="live-now__list">
        {live.map((s) => (
          <li key={s.id}>
            <Link to={`/sessions/${s.id}`} className="table__primary-link" data-testid="live-now-link">
              {s.title}
            </Link>
            <span className="muted">
              {' '}
              · {kindLabel[s.kind]}
              {s.myRole && ` · ${memberRoleLabel[s.myRole]}`} · started {formatDateTime(s.startedAt)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
