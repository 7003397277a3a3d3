import { useQuery, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '../../api/queryKeys';
import { fetchNotices } from '../../api/supervisor';
import { useLiveEvents } from '../../api/liveEvents';
import { Link, usePathname } from '../../router';
import './supervisor.css';

/** The header's link to the inbox, with how many notices are unread; live. */
export function NoticeBell() {
  const notices = useQuery({ queryKey: queryKeys.notices, queryFn: fetchNotices });
  const queryClient = useQueryClient();
  useLiveEvents((event) => {
    if (event.type === 'notices') void queryClient.invalidateQueries({ queryKey: queryKeys.notices });
  });
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
