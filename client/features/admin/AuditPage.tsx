import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { auditActions } from '../../../shared/domain/audit';
import { auditActionWords } from '../../../shared/domain/auditWords';
import { sessionIdSchema } from '../../../shared/protocol/docName';
import { auditCsvUrl, fetchAuditLog, type AuditFilters } from '../../api/supervisor';
import { fetchUsers } from '../../api/users';
import { PageState } from '../../components/PageState';
import { TableScroll } from '../../components/TableScroll';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { AuditRow } from './AuditRow';

const LIMITS = [50, 200, 1000];

/**
 * `/admin/audit`: the append-only record of who did what, as a privacy officer reads it: actions
 * in words, people by name, sessions by title, times to the second with the zone, a visit to a
 * note on one row. Filters by person, session, action and dates; the CSV export is itself audited.
 */
export function AuditPage() {
  const [limit, setLimit] = useState(200);
  const [filters, setFilters] = useState<AuditFilters>({});
  const [sessionText, setSessionText] = useState('');
  // Only a whole id filters: a half-pasted one would just be refused by the server.
  const isValidSession = sessionIdSchema.safeParse(sessionText.trim()).success;
  const applied: AuditFilters = { ...filters, sessionId: isValidSession ? sessionText.trim() : undefined };
  const users = loadStateOf(useQuery({ queryKey: keys.users, queryFn: () => fetchUsers() }));
  const auditKey = keys.audit({ ...applied, limit });
  const state = loadStateOf(useQuery({ queryKey: auditKey, queryFn: () => fetchAuditLog({ ...applied, limit }) }));
  const reload = useStale(auditKey);
  const set = (patch: AuditFilters) => setFilters((f) => ({ ...f, ...patch }));

  return (
    <div className="page">
      <h1 className="page__title">Audit log</h1>
      <form className="filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <label>
          Person{' '}
          <select value={filters.actorId ?? ''} onChange={(e) => set({ actorId: e.target.value || undefined })} data-testid="audit-person">
            <option value="">Anyone</option>
            {users.status === 'ok' &&
              users.data.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          Action{' '}
          <select value={filters.action ?? ''} onChange={(e) => set({ action: (e.target.value || undefined) as AuditFilters['action'] })} data-testid="audit-action">
            <option value="">Any</option>
            {auditActions
              .filter((a) => a !== 'session_left')
              .map((a) => (
                <option key={a} value={a}>
                  {a === 'session_opened' ? 'opened the note (a visit)' : auditActionWords[a]}
                </option>
              ))}
          </select>
        </label>
        <label>
          Session id{' '}
          <input value={sessionText} onChange={(e) => setSessionText(e.target.value)} placeholder="All sessions" size={38} />
        </label>
        {sessionText.trim() !== '' && !isValidSession && <span className="field__hint">Paste a whole session id to filter.</span>}
        <label>
          From <input type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
        </label>
        <label>
          To <input type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
        </label>
        <label>
          Show{' '}
          <select value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
            {LIMITS.map((n) => (
              <option key={n} value={n}>
                last {n}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--small" onClick={reload}>
          Refresh
        </button>
        <a className="button button--small" href={auditCsvUrl(applied)} download data-testid="audit-csv">
          Export CSV
        </a>
      </form>
      {state.status === 'ok' ? (
        state.data.rows.length === 0 ? (
          <p className="empty">No entries.</p>
        ) : (
          <>
            <p className="muted">Times in {state.data.timeZone}. The export is recorded in this log.</p>
            <TableScroll label="The audit log">
              <table className="table table--dense" data-testid="audit-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Session</th>
                    <th scope="col">Detail</th>
                  </tr>
                </thead>
                <tbody>
                  {state.data.rows.map((row) => (
                    <AuditRow key={row.id} row={row} onPickSession={setSessionText} onPickPerson={(actorId) => set({ actorId })} />
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </>
        )
      ) : (
        <PageState state={state} onRetry={reload} what="the audit log" />
      )}
    </div>
  );
}
