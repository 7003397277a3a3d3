import type { DebriefFieldId, DebriefVersionView } from '../../../shared/domain/debrief';
import { formatDateTime } from '../../format';

/**
 * The words a later save replaced in a debrief field, newest first, each with who saved it and
 * when: storage keeps every version, so an emptied or rewritten field still shows what was there.
 */
export function EarlierVersions({ field, versions }: { field: DebriefFieldId; versions: DebriefVersionView[] }) {
  if (versions.length === 0) return null;
  return (
    <details className="debrief__earlier" data-testid={`debrief-earlier-${field}`}>
      <summary>Earlier versions ({versions.length})</summary>
      <ol className="debrief__earlier-list">
        {versions.map((v) => (
          <li key={v.version} data-testid={`debrief-earlier-${field}-${v.version}`}>
            <span className="muted">
              Version {v.version}, saved by {v.savedByName}, {formatDateTime(v.savedAt)}:
            </span>{' '}
            {v.body ? <q>{v.body}</q> : <span className="muted">(emptied)</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}
