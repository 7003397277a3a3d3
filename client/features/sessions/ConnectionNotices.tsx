import { useState } from 'react';
import type { CollabStatus } from '../../collab/useCollabDoc';

interface ConnectionNoticesProps {
  status: CollabStatus;
  onDismissRefusal(): void;
  /** Drops this device's copy of the note (with the refused change) and loads it again. */
  onReloadNote(): Promise<void>;
}

/** Calm, in-page explanations of what the server said about this connection. */
export function ConnectionNotices({ status, onDismissRefusal, onReloadNote }: ConnectionNoticesProps) {
  const [reloading, setReloading] = useState(false);
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

  async function reload() {
    const sure = window.confirm(
      'Load the note again from the server? The change it did not accept is dropped from this device, and so is anything typed since that has not been saved.',
    );
    if (!sure) return;
    setReloading(true);
    try {
      await onReloadNote();
    } finally {
      setReloading(false);
    }
  }

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
          <span>
            The server did not accept your last change: {refusal.message} Until the note is loaded again, this device keeps
            offering it.
          </span>
          <span className="notice__actions">
            <button type="button" className="button button--small" onClick={() => void reload()} disabled={reloading} data-testid="reload-note">
              {reloading ? 'Reloading…' : 'Reload note'}
            </button>
            <button type="button" className="link-button" onClick={onDismissRefusal}>
              Dismiss
            </button>
          </span>
        </div>
      )}
    </>
  );
}
