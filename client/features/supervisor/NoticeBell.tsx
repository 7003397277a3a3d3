import { fetchNotices } from '../../api/supervisor';
import { useLiveEvents } from '../../api/liveEvents';
import { useLoad } from '../../components/useLoad';
import { Link, usePathname } from '../../router';
import './supervisor.css';

/** The header's link to the inbox, with how many notices are unread; live. */
export function NoticeBell() {
  const { state, reload } = useLoad(fetchNotices, []);
  useLiveEvents((event) => {
    if (event.type === 'notices' || event.type === 'opened') reload();
  });
  const path = usePathname();
  const unread = state.status === 'ok' ? state.data.unread : 0;
  return (
    <Link
      to="/notices"
      className="nav__link notice-bell"
      aria-current={path === '/notices' ? 'page' : undefined}
      data-testid="notice-bell"
    >
      Notices
      {unread > 0 && (
        <span className="notice-bell__count">
          <span data-testid="notice-count">{unread}</span>
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </Link>
  );
}
