import type { CollabStatus } from '../../collab/useCollabDoc';

interface ConnectionNoticesProps {
  status: CollabStatus;
  onDismissRefusal(): void;
}

/** Calm, in-page explanations of what the server said about this connection. */
export function ConnectionNotices({ status, onDismissRefusal }: ConnectionNoticesProps) {
  if (status.kind === 'ended' && status.reason === 'rejected') {
    return (
      <div className="notice notice--error" role="alert">
        The server closed the connection to this note. Reload the page to try again; edits made here are kept on this
        device.
      </div>
    );
  }
  if (status.kind !== 'ready') return null;
  const { access, refusal, save } = status;
  return (
    <>
      {!access.canWrite && (
        <div className="notice notice--info" data-testid="readonly-banner">
          <strong>Read-only.</strong> {access.reason ?? 'You can read this note but not change it.'}
        </div>
      )}
      {save === 'failed' && (
        <div className="notice notice--warning" role="alert">
          Not saved — the server could not store the last edits; retrying. Keep this tab open.
        </div>
      )}
      {refusal && (
        <div className="notice notice--warning" role="status" data-testid="refusal-notice">
          <span>The server did not apply your last change: {refusal.message}</span>
          <button type="button" className="link-button" onClick={onDismissRefusal}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
