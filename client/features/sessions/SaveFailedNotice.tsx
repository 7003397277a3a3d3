import type { ExternalStore, SaveView } from '../../collab/useCollabDoc';
import { useSaveView } from '../../collab/useSaveView';

/** Says so while the server cannot store the edits; follows the save state on its own (see useSaveView). */
export function SaveFailedNotice({ saveState }: { saveState: ExternalStore<SaveView> }) {
  const view = useSaveView(saveState);
  if (view.kind !== 'ready' || view.save !== 'failed') return null;
  return (
    <div className="notice notice--warning" role="alert">
      Not saved — the server could not store the last edits; retrying. Keep this tab open.
    </div>
  );
}
