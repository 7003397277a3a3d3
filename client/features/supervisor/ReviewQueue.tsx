import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { QueueItem, QueueView } from '../../../shared/domain/supervisor';
import { sessionKindSchema } from '../../../shared/domain/session';
import { fetchQueue, type QueueFilters } from '../../api/supervisor';
import { useLiveUpdates } from '../../api/liveEvents';
import { PageState } from '../../components/PageState';
import { TableScroll } from '../../components/TableScroll';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { formatDateTime, kindLabel } from '../../format';
import { Link } from '../../router';
import { formatDay, queueStateLabel, queueStatesFor } from './deskLabels';
import './supervisor.css';

const pathFor = (role: QueueView['role'], item: QueueItem) =>
  role === 'supervisor' || item.state === 'reviewed' || item.state === 'awaiting_cosign' ? `/sessions/${item.sessionId}/review` : `/sessions/${item.sessionId}`;

/**
 * The home page's queue: for a supervisor, what waits for their co-signature, what came back
 * re-signed, what is with the therapists, and what they co-signed lately; for a therapist, where
 * each of their notes stands. Filters by therapist, kind and date; counts of what they leave.
 */
export function ReviewQueue() {
  const [filters, setFilters] = useState<QueueFilters>({});
  // Other filters are the same queue narrowed otherwise: the last answer stays meanwhile, and with
  // it the filter being changed (and the focus on it), where "Loading…" would replace the section.
  const state = loadStateOf(useQuery({ queryKey: keys.queue(filters), queryFn: () => fetchQueue(filters), placeholderData: keepPreviousData }));
  const reload = useStale(keys.queue(filters));
  useLiveUpdates();
  const set = (patch: QueueFilters) => setFilters((f) => ({ ...f, ...patch }));
  if (state.status !== 'ok') return <PageState state={state} onRetry={reload} what="your review queue" />;
  const { role, items, counts, therapists } = state.data;
  const labels = queueStateLabel[role];
  return (
    <section className="panel queue" aria-labelledby="queue-title" data-testid="review-queue">
      <h2 className="panel__title" id="queue-title">
        {role === 'supervisor' ? 'Review queue' : 'My notes'}
      </h2>
      <ul className="queue__counts" aria-label="Counts">
        {queueStatesFor[role].map((s) => (
          <li key={s} className={`queue__count queue__count--${s}`} data-testid={`queue-count-${s}`}>
            <span className="queue__count-n">{counts[s]}</span> {labels[s]}
          </li>
        ))}
      </ul>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter the queue">
        {role === 'supervisor' && (
          <label>
            Therapist{' '}
            <select value={filters.therapist ?? ''} onChange={(e) => set({ therapist: e.target.value || undefined })} data-testid="queue-therapist">
              <option value="">All</option>
              {therapists.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Kind{' '}
          <select value={filters.kind ?? ''} onChange={(e) => set({ kind: e.target.value || undefined })}>
            <option value="">All</option>
            {sessionKindSchema.options.map((k) => (
              <option key={k} value={k}>
                {kindLabel[k]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" value={filters.from ?? ''} onChange={(e) => set({ from: e.target.value || undefined })} />
        </label>
        <label>
          To <input type="date" value={filters.to ?? ''} onChange={(e) => set({ to: e.target.value || undefined })} />
        </label>
      </form>
      {state.refreshError !== undefined && <p className="field__error">The queue could not be refreshed; it shows the last answer.</p>}
      {items.length === 0 ? (
        <p className="empty">{role === 'supervisor' ? 'Nothing waits for you.' : 'None of your notes needs anything.'}</p>
      ) : (
        <TableScroll label="Review queue">
          <table className="table table--dense" data-testid="queue-table">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Date</th>
                <th scope="col">{role === 'supervisor' ? 'Therapists' : 'State'}</th>
                {role === 'supervisor' && <th scope="col">State</th>}
                <th scope="col">Since</th>
                <th scope="col">Comments</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.sessionId} data-testid="queue-row" data-state={item.state}>
                  <td>
                    <Link to={pathFor(role, item)} className="table__primary-link" data-testid="queue-link">
                      {item.title}
                    </Link>
                    <span className="muted"> · {kindLabel[item.kind]}</span>
                  </td>
                  <td className="nowrap">{formatDay(item.date)}</td>
                  {role === 'supervisor' && <td>{item.therapists.map((t) => t.name).join(' & ')}</td>}
                  <td>
                    <span className={`queue-state queue-state--${item.state}`}>{labels[item.state]}</span>
                    {item.returnReason && <span className="queue__reason">“{item.returnReason}”</span>}
                    {item.waitingFor.length > 0 && <span className="queue__reason">Waiting for {item.waitingFor.map((p) => p.name).join(' and ')}</span>}
                    {item.returns > 0 && item.state !== 'returned' && <span className="muted queue__reason">Returned {item.returns}×</span>}
                  </td>
                  <td className="nowrap">{formatDateTime(item.since)}</td>
                  <td className="nowrap" data-testid="queue-comments">
                    {item.comments}
                    {item.openThreads > 0 && <span className="queue__open"> · {item.openThreads} open</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
