import { useEffect } from 'react';
import { ApiError } from '../../api/http';
import { fetchSession } from '../../api/sessions';
import { useFlash } from '../../components/Flash';
import { PageState } from '../../components/PageState';
import { useLoad } from '../../components/useLoad';
import { navigate } from '../../router';
import { SessionWorkspace } from './SessionWorkspace';

const NO_ACCESS = 'That session does not exist, or you are not one of its members.';

/** `/sessions/:id`: loads the session, then hands it to the live workspace. */
export function SessionPage({ id }: { id: string }) {
  const { state, reload } = useLoad(() => fetchSession(id), [id]);
  const { show } = useFlash();
  const isDenied =
    state.status === 'error' && state.error instanceof ApiError && [400, 403, 404].includes(state.error.status);

  useEffect(() => {
    if (!isDenied) return;
    show(NO_ACCESS);
    navigate('/', { replace: true });
  }, [isDenied, show]);

  if (state.status !== 'ok') return <PageState state={state} onRetry={reload} what="the session" />;
  return <SessionWorkspace key={state.data.id} session={state.data} onSessionChanged={reload} />;
}
