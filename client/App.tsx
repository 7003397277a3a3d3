import type { AccountView } from '../shared/domain/account';
import { AuthProvider } from './auth/AuthProvider';
import { useAuth } from './auth/useCurrentUser';
import { AppShell } from './components/AppShell';
import { FlashProvider } from './components/Flash';
import { Redirect } from './components/Redirect';
import { LoginPage } from './features/auth/LoginPage';
import { SetupPage } from './features/auth/SetupPage';
import { matchPath, nextPathFromQuery, usePathname } from './router';
import { routes } from './routes';
import { UpdateNotice } from './offline/UpdateNotice';
import { ServerStateProvider } from './query/ServerStateProvider';
import { ThemeProvider } from './theme/ThemeProvider';

function NotFound() {
  return (
    <div className="page page--narrow">
      <h1 className="page__title">Page not found</h1>
      <p>There is nothing at this address.</p>
    </div>
  );
}

/** The signed-in area: picks the page for the path, keeping admin pages for admins. */
function SignedInRoutes({ user, path }: { user: AccountView; path: string }) {
  if (path === '/login') return <Redirect to={nextPathFromQuery()} />;
  if (path === '/setup') return <Redirect to="/" />;
  // Admins have no sessions of their own; their home is the account list.
  if (path === '/' && user.role === 'admin') return <Redirect to="/admin/users" />;
  for (const route of routes) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    if (route.adminOnly && user.role !== 'admin') return <NotFound />;
    return <AppShell>{route.render(params)}</AppShell>;
  }
  return (
    <AppShell>
      <NotFound />
    </AppShell>
  );
}

function AppRoutes() {
  const { state, reload } = useAuth();
  const path = usePathname();
  switch (state.status) {
    case 'loading':
      return <p className="page-state page-state--full">Loading…</p>;
    case 'unreachable':
      return (
        <div className="page-state page-state--full" role="alert">
          <p>Tandem could not reach its server: {state.message}</p>
          <button type="button" className="button" onClick={() => void reload()}>
            Try again
          </button>
        </div>
      );
    case 'setup-needed':
      return path === '/setup' ? <SetupPage /> : <Redirect to="/setup" />;
    case 'signed-out': {
      if (path === '/login') return <LoginPage />;
      const isWorthReturning = state.reason !== 'logout' && path !== '/' && path !== '/setup';
      const back = isWorthReturning ? `?next=${encodeURIComponent(path)}` : '';
      return <Redirect to={`/login${back}`} />;
    }
    case 'signed-in':
      return <SignedInRoutes user={state.user} path={path} />;
  }
}

export function App() {
  return (
    <ThemeProvider>
      <FlashProvider>
        <ServerStateProvider>
          <AuthProvider>
            <AppRoutes />
            <UpdateNotice />
          </AuthProvider>
        </ServerStateProvider>
      </FlashProvider>
    </ThemeProvider>
  );
}
