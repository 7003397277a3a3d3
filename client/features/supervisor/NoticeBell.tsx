import { useQuery } from '@tanstack/react-query';
import { fetchNotices } from '../../api/supervisor';
import { useLiveUpdates } from '../../api/liveEvents';
import { keys } from '../../query/keys';
import { Link, usePathname } from '../../router';
import './supervisor.css';

/** The header's link to the inbox, with how many notices are unread; live. */
export function NoticeBell() {
  const notices = useQuery({ queryKey: keys.notices, queryFn: () => fetchNotices() });
  useLiveUpdates();
  const path = usePathname();
  const unread = notices.data?.unread ?? 0;
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
