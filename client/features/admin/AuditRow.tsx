import type { AuditLogRow } from '../../../shared/domain/auditWords';

interface AuditRowProps {
  row: AuditLogRow;
  onPickSession(id: string): void;
  onPickPerson(id: string): void;
}

/** One entry (a visit to a note is one row, from opening to leaving); its person and session filter the log when clicked. */
export function AuditRow({ row, onPickSession, onPickPerson }: AuditRowProps) {
  return (
    <tr data-testid="audit-row" data-action={row.action}>
      <td className="audit__when">
        {row.when}
        {row.leftAt && <span className="muted audit__until"> until {row.leftAt.split(' (')[0]}</span>}
      </td>
      <td className="nowrap">
        {row.actorId ? (
          <button type="button" className="link-button" title={`Show only ${row.actorName ?? ''}`} onClick={() => onPickPerson(row.actorId!)}>
            {row.actorName}
          </button>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>{row.words}</td>
      <td>
        {row.sessionId ? (
          <button type="button" className="link-button" title={`Show only this session (${row.sessionId})`} onClick={() => onPickSession(row.sessionId ?? '')}>
            {row.sessionTitle ?? 'a deleted session'}
          </button>
        ) : (
          '—'
        )}
      </td>
      <td className="audit__detail">{row.detail}</td>
    </tr>
  );
}
