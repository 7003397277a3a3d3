import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ApiError } from '../../api/http';
import { fetchSession } from '../../api/sessions';
import { useFlash } from '../../components/Flash';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { navigate } from '../../router';
import { SessionWorkspace } from './SessionWorkspace';

const NO_ACCESS = 'That session does not exist, or you are not one of its members.';

/** `/sessions/:id`: loads the session, then hands it to the live workspace. */
export function SessionPage({ id }: { id: string }) {
  const state = loadStateOf(useQuery({ queryKey: keys.session(id, 'view'), queryFn: () => fetchSession(id) }));
  // Stable: the workspace reads the session again through it whenever the session may have changed.
  const reload = useStale(keys.session(id, 'view'));
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
