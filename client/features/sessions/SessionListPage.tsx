import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { SessionView } from '../../../shared/domain/session';
import { searchSessions, type SessionSearch } from '../../api/supervisor';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { ReviewQueue } from '../supervisor/ReviewQueue';
import { SessionSearchForm } from '../supervisor/SessionSearchForm';
import { CreateSessionForm } from './CreateSessionForm';
import { LiveNow } from './LiveNow';
import { SessionTable } from './SessionTable';

/** Everyone in the sessions seen so far, for the member filter (kept as the search narrows). */
function peopleIn(sessions: SessionView[], known: Map<string, string>): { id: string; name: string }[] {
  for (const s of sessions) for (const m of s.members) known.set(m.userId, m.name);
  return [...known].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Home: the sessions live now, the review queue (or my notes' states), then the sessions I belong to, searchable; clinicians plan new ones. */
export function SessionListPage() {
  const user = useCurrentUser();
  const [search, setSearch] = useState<SessionSearch>({});
  const state = loadStateOf(useQuery({ queryKey: keys.sessions(search), queryFn: () => searchSessions(search) }));
  const reload = useStale(keys.sessions(search));
  const known = useMemo(() => new Map<string, string>(), []);
  const canCreate = user.role === 'clinician';
  const searching = Object.values(search).some(Boolean);

  return (
    <div className={`page${canCreate ? ' page--with-aside' : ''}`}>
      <section className="page__main">
        <h1 className="page__title">{user.role === 'supervisor' ? 'Your desk' : 'Sessions'}</h1>
        <LiveNow />
        <ReviewQueue />
        <h2 className="section-title">All sessions</h2>
        <SessionSearchForm value={search} onChange={setSearch} people={state.status === 'ok' ? peopleIn(state.data, known) : peopleIn([], known)} />
        {state.status === 'ok' ? (
          state.data.length === 0 && searching ? (
            <p className="empty">No session matches this search.</p>
          ) : (
            <SessionTable sessions={state.data} />
          )
        ) : (
          <PageState state={state} onRetry={reload} what="your sessions" />
        )}
      </section>
      {canCreate && (
        <aside className="page__aside panel">
          <h2 className="panel__title">New session</h2>
          <CreateSessionForm />
        </aside>
      )}
    </div>
  );
}
