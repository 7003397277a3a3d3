import type { ExternalStore, SaveView } from '../../collab/useCollabDoc';
import { useSaveView } from '../../collab/useSaveView';
import { saveStateLabel, type SaveState } from '../../collab/saveState';

/** A sentence for the badge's tooltip: what the state means for the person's words. */
const explanation: Record<SaveState, string> = {
  connecting: 'Connecting to the server.',
  saved: 'The server has stored every edit on this screen.',
  editing: 'Your latest edits are on their way to the server; this says Saved once it has stored them.',
  saving: 'Edits are on their way to the server.',
  offline: 'No connection. Keep writing: edits are kept in this browser and sent when the connection returns.',
  failed: 'The server could not store the last edits. It keeps trying; do not close this tab.',
  readonly: 'You can read this note but not change it.',
};

/** The header's save badge; the only part of the page that re-renders as its state flips. */
export function SaveStateBadge({ saveState }: { saveState: ExternalStore<SaveView> }) {
  const status = useSaveView(saveState);
  if (status.kind !== 'ready') {
    return (
      <span className="save-state save-state--connecting" data-testid="save-state" role="status">
        {status.kind === 'loading' ? 'Opening…' : 'Closed'}
      </span>
    );
  }
  return (
    <span
      className={`save-state save-state--${status.save}`}
      data-testid="save-state"
      data-state={status.save}
      role="status"
      aria-live="polite"
      title={explanation[status.save]}
    >
      {saveStateLabel[status.save]}
    </span>
  );
}
