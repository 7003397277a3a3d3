import { resolveThread } from '../../api/supervisor';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';
import { useThreadState } from './threadStates';

/** Under a thread: resolved or open (with the button to change it), and who has read it. */
export function ThreadStatus({ rootId, canResolve }: { rootId: string; canResolve: boolean }) {
  const { state, sessionId, reload } = useThreadState(rootId);
  const toggle = useSubmit(async (id: string, resolved: boolean) => {
    await resolveThread(id, rootId, resolved);
    await reload();
  });
  if (!state || !sessionId) return null;
  return (
    <div className="thread-status no-print" data-testid="thread-status" data-resolved={state.resolved}>
      {state.resolved ? (
        <span className="thread-status__resolved">
          Resolved by {state.resolvedByName} {state.resolvedAt ? `· ${formatDateTime(state.resolvedAt)}` : ''}
        </span>
      ) : (
        <span className="thread-status__open">Open</span>
      )}
      {canResolve && (
        <button type="button" className="link-button" disabled={toggle.isPending} onClick={() => void toggle.run(sessionId, !state.resolved)} data-testid="thread-resolve">
          {state.resolved ? 'Reopen' : 'Mark resolved'}
        </button>
      )}
      {state.readers.length > 0 && (
        <span className="muted thread-status__readers" data-testid="thread-readers">
          Read by {state.readers.map((r) => r.name).join(', ')}
        </span>
      )}
      <FormError error={toggle.error} />
    </div>
  );
}
