import type { AuditEntryView } from '../../../shared/domain/audit';
import { formatDateTime } from '../../format';

/** Account id → name, to show people rather than ids. */
export type Names = Map<string, string>;

/** Renders the non-clinical detail as `key: value` pairs, naming the accounts it refers to. */
function describeDetail(detail: Record<string, unknown>, names: Names): string {
  return Object.entries(detail)
    .map(([key, value]) => {
      if (key === 'accountId' && typeof value === 'string' && names.has(value)) return `account: ${names.get(value)}`;
      return `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join(', ');
}

interface AuditRowProps {
  entry: AuditEntryView;
  names: Names;
  onPickSession(id: string): void;
}

/** One audit entry; its session id filters the log when clicked. */
export function AuditRow({ entry, names, onPickSession }: AuditRowProps) {
  return (
    <tr data-testid="audit-row">
      <td className="nowrap">{formatDateTime(entry.at)}</td>
      <td className="nowrap">{entry.actorName ?? <span className="muted">—</span>}</td>
      <td>
        <code>{entry.action}</code>
      </td>
      <td className="mono">
        {entry.sessionId ? (
          <button
            type="button"
            className="link-button"
            title={`Show only session ${entry.sessionId}`}
            onClick={() => onPickSession(entry.sessionId ?? '')}
          >
            {entry.sessionId.slice(0, 8)}
          </button>
        ) : (
          '—'
        )}
      </td>
      <td className="audit__detail">{describeDetail(entry.detail, names)}</td>
    </tr>
  );
}
