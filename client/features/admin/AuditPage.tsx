import { useState } from 'react';
import { sessionIdSchema } from '../../../shared/protocol/docName';
import { fetchAudit } from '../../api/audit';
import { fetchUsers } from '../../api/users';
import { PageState } from '../../components/PageState';
import { useLoad } from '../../components/useLoad';
import { AuditRow, type Names } from './AuditRow';
import { TableScroll } from '../../components/TableScroll';

const LIMITS = [50, 200, 1000];

/** `/admin/audit`: the append-only record of who did what, newest first. */
export function AuditPage() {
  const [limit, setLimit] = useState(200);
  const [sessionId, setSessionId] = useState('');
  // Only a whole id filters: a half-pasted one would just be refused by the server.
  const isValidFilter = sessionIdSchema.safeParse(sessionId.trim()).success;
  const filter = isValidFilter ? sessionId.trim() : '';
  const users = useLoad(fetchUsers, []);
  const names: Names = new Map(users.state.status === 'ok' ? users.state.data.map((u) => [u.id, u.name]) : []);
  const { state, reload } = useLoad(() => fetchAudit({ limit, ...(filter ? { sessionId: filter } : {}) }), [limit, filter]);

  return (
    <div className="page">
      <h1 className="page__title">Audit log</h1>
      <div className="filters">
        <label>
          Session id{' '}
          <input value={sessionId} onChange={(e) => setSessionId(e.target.value)} placeholder="All sessions" size={38} />
        </label>
        {sessionId.trim() !== '' && !isValidFilter && <span className="field__hint">Paste a whole session id to filter.</span>}
        {filter && (
          <button type="button" className="link-button" onClick={() => setSessionId('')}>
            Show all sessions
          </button>
        )}
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
      </div>
      {state.status === 'ok' ? (
        state.data.length === 0 ? (
          <p className="empty">No entries.</p>
        ) : (
          <TableScroll label="The audit log">
            <table className="table table--dense" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Action</th>
                  <th scope="col">Session</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {state.data.map((entry) => (
                  <AuditRow key={entry.id} entry={entry} names={names} onPickSession={setSessionId} />
                ))}
              </tbody>
            </table>
          </TableScroll>
        )
      ) : (
        <PageState state={state} onRetry={reload} what="the audit log" />
      )}
    </div>
  );
}
