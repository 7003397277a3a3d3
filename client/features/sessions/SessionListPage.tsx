import { fetchSessions } from '../../api/sessions';
import { useCurrentUser } from '../../auth/useCurrentUser';
import { PageState } from '../../components/PageState';
import { useLoad } from '../../components/useLoad';
import { CreateSessionForm } from './CreateSessionForm';
import { SessionTable } from './SessionTable';

/** The sessions I belong to, and (for clinicians) a form to plan a new one. */
export function SessionListPage() {
  const user = useCurrentUser();
  const { state, reload } = useLoad(fetchSessions, []);
  const canCreate = user.role === 'clinician';

  return (
    <div className={`page${canCreate ? ' page--with-aside' : ''}`}>
      <section className="page__main">
        <h1 className="page__title">Sessions</h1>
        {state.status === 'ok' ? (
          <SessionTable sessions={state.data} />
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
