/** The signed-in pages, by path. Admin-only pages are marked so the router can refuse others. */
import { lazy, type ReactNode } from 'react';
import { AccountPage } from './features/account/AccountPage';
import { AccountSessionsPage } from './features/admin/AccountSessionsPage';
import { AuditPage } from './features/admin/AuditPage';
import { CompetenciesPage } from './features/admin/CompetenciesPage';
import { TagsPage } from './features/admin/TagsPage';
import { UsersPage } from './features/admin/UsersPage';
import { SessionListPage } from './features/sessions/SessionListPage';
import { NoticesPage } from './features/supervisor/NoticesPage';

// The editor (Tiptap, Yjs) is most of the bundle: load it when a session is opened.
const SessionPage = lazy(() => import('./features/sessions/SessionPage').then((m) => ({ default: m.SessionPage })));
const DebriefPage = lazy(() => import('./features/debrief/DebriefPage').then((m) => ({ default: m.DebriefPage })));
// The charts library is only needed on the pairs page.
const DyadPage = lazy(() => import('./features/supervisor/DyadPage').then((m) => ({ default: m.DyadPage })));
const ReviewPage = lazy(() => import('./features/review/ReviewPage').then((m) => ({ default: m.ReviewPage })));

export interface RouteDef {
  pattern: string;
  adminOnly?: boolean;
  render(params: Record<string, string>): ReactNode;
}

export const routes: RouteDef[] = [
  { pattern: '/', render: () => <SessionListPage /> },
  { pattern: '/sessions/:id', render: (p) => <SessionPage id={p.id ?? ''} /> },
  { pattern: '/sessions/:id/review', render: (p) => <ReviewPage id={p.id ?? ''} /> },
  { pattern: '/sessions/:id/debrief', render: (p) => <DebriefPage id={p.id ?? ''} /> },
  { pattern: '/account', render: () => <AccountPage /> },
  { pattern: '/notices', render: () => <NoticesPage /> },
  { pattern: '/dyads', render: () => <DyadPage /> },
  { pattern: '/admin/users', adminOnly: true, render: () => <UsersPage /> },
  { pattern: '/admin/users/:id', adminOnly: true, render: (p) => <AccountSessionsPage id={p.id ?? ''} /> },
  { pattern: '/admin/tags', adminOnly: true, render: () => <TagsPage /> },
  { pattern: '/admin/audit', adminOnly: true, render: () => <AuditPage /> },
  { pattern: '/admin/competencies', adminOnly: true, render: () => <CompetenciesPage /> },
];
