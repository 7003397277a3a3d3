import { Suspense, type ReactNode } from 'react';
import { useCurrentUser } from '../auth/useCurrentUser';
import { AccountMenu } from '../features/account/AccountMenu';
import { NoticeBell } from '../features/supervisor/NoticeBell';
import { Link, usePathname } from '../router';
import { FlashMessage } from './Flash';
import { PageErrorBoundary } from './PageErrorBoundary';
import { PersonColorProvider } from './PersonColor';
import { ThemeToggle } from '../theme/ThemeToggle';
import { OfflineNotice } from '../offline/OfflineNotice';
import { SlowAnswerNotice } from './SlowAnswerNotice';

function NavLink({ to, children }: { to: string; children: ReactNode }) {
  const path = usePathname();
  const isCurrent = to === '/' ? path === '/' || path.startsWith('/sessions/') : path.startsWith(to);
  return (
    <Link to={to} className="nav__link" aria-current={isCurrent ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** The frame of every signed-in page: brand, navigation for the role, account menu. */
export function AppShell({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const path = usePathname();
  return (
    <PersonColorProvider>
      <div className="app">
        {/* WCAG 2.4.1: keyboard users pass the header and navigation in one key press. */}
        <a href="#main" className="skip-link">
          Skip to the page
        </a>
        <header className="app-header">
          <Link to="/" className="brand">
            Tandem
          </Link>
          <nav className="nav" aria-label="Main">
            {user.role === 'admin' ? (
              <>
                <NavLink to="/admin/users">Accounts</NavLink>
                <NavLink to="/admin/tags">Codebook</NavLink>
                <NavLink to="/admin/competencies">Competencies</NavLink>
                <NavLink to="/admin/audit">Audit log</NavLink>
              </>
            ) : (
              <>
                <NavLink to="/">Sessions</NavLink>
                <NavLink to="/dyads">Pairs</NavLink>
                <NoticeBell />
              </>
            )}
          </nav>
          <ThemeToggle />
          <AccountMenu />
        </header>
        <main className="app-main" id="main" tabIndex={-1}>
          <OfflineNotice />
          <SlowAnswerNotice />
          <FlashMessage />
          {/* Keyed by the path: another page starts without the last one's error. */}
          <PageErrorBoundary key={path}>
            <Suspense fallback={<p className="page-state">Loading…</p>}>{children}</Suspense>
          </PageErrorBoundary>
        </main>
      </div>
    </PersonColorProvider>
  );
}
