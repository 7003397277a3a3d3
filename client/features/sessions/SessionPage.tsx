import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError } from '../../api/http';
import { queryKeys } from '../../api/queryKeys';
import { fetchSession } from '../../api/sessions';
import { useFlash } from '../../components/Flash';
import { PageState } from '../../components/PageState';
import { navigate } from '../../router';
import { SessionWorkspace } from './SessionWorkspace';

const NO_ACCESS = 'That session does not exist, or you are not one of its members.';

/** `/sessions/:id`: loads the session, then hands it to the live workspace. */
export function SessionPage({ id }: { id: string }) {
  const session = useQuery({ queryKey: queryKeys.sessionView(id), queryFn: () => fetchSession(id) });
  const { show } = useFlash();
  const isDenied = session.error instanceof ApiError && [400, 403, 404].includes(session.error.status);

  useEffect(() => {
    if (!isDenied) return;
    show(NO_ACCESS);
    navigate('/', { replace: true });
  }, [isDenied, show]);

  if (!session.data) return <PageState query={session} what="the session" />;
  return <SessionWorkspace key={session.data.id} session={session.data} />;
}
