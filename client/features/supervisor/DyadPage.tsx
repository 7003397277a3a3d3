import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { answerWords } from '../../../shared/domain/observation';
import type { DyadRef, DyadView } from '../../../shared/domain/supervisor';
import { fetchDyads, fetchTrend, trendCsvUrl } from '../../api/supervisor';
import { PageState } from '../../components/PageState';
import { TableScroll } from '../../components/TableScroll';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { statusLabel } from '../../format';
import { formatDay } from './deskLabels';
import { TrendCharts } from './TrendCharts';
import './supervisor.css';

const counts = (c: Record<string, number>) =>
  Object.entries(c)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || '—';

/** `/dyads`: each pair of co-therapists (and each therapist) I supervise or am, and how they changed. */
export function DyadPage() {
  const list = { state: loadStateOf(useQuery({ queryKey: keys.dyads, queryFn: () => fetchDyads() })), reload: useStale(keys.dyads) };
  const [chosen, setChosen] = useState<string[] | null>(null);
  if (list.state.status !== 'ok') {
    return (
      <div className="page">
        <h1 className="page__title">Pairs across sessions</h1>
        <PageState state={list.state} onRetry={list.reload} what="the pairs" />
      </div>
    );
  }
  const { pairs, therapists } = list.state.data;
  const ids = chosen ?? pairs[0]?.accountIds ?? therapists[0]?.accountIds ?? null;
  const option = (d: DyadRef) => (
    <option key={d.accountIds.join(',')} value={d.accountIds.join(',')}>
      {d.names.join(' & ')} ({d.sessions} {d.sessions === 1 ? 'session' : 'sessions'})
    </option>
  );
  return (
    <div className="page">
      <h1 className="page__title">Pairs across sessions</h1>
      {ids === null ? (
        <p className="empty">No sessions with therapists yet.</p>
      ) : (
        <>
          <div className="filters dyad__filters">
            <label>
              Show{' '}
              <select value={ids.join(',')} onChange={(e) => setChosen(e.target.value.split(','))} data-testid="dyad-choice">
                {pairs.length > 0 && <optgroup label="Pairs">{pairs.map(option)}</optgroup>}
                <optgroup label="Therapists">{therapists.map(option)}</optgroup>
              </select>
            </label>
            <a className="button button--small" href={trendCsvUrl(ids)} download data-testid="dyad-csv">
              Download CSV
            </a>
          </div>
          <Trend key={ids.join(',')} ids={ids} />
        </>
      )}
    </div>
  );
}

function Trend({ ids }: { ids: string[] }) {
  const state = loadStateOf(useQuery({ queryKey: keys.trend(ids), queryFn: () => fetchTrend(ids) }));
  const reload = useStale(keys.trend(ids));
  if (state.status !== 'ok') return <PageState state={state} onRetry={reload} what="the trend" />;
  const view = state.data;
  return (
    <div className="dyad">
      <div className="dyad__charts">
        <TrendCharts view={view} />
      </div>
      <div className="dyad__numbers">
        <Totals view={view} />
      </div>
      <h2 className="section-title">Session by session</h2>
      <SessionTable view={view} />
    </div>
  );
}

function Totals({ view }: { view: DyadView }) {
  const rows: [string, (t: DyadView['totals'][number]) => string | number][] = [
    ['Observations made', (t) => t.made],
    ['Flagged for the other', (t) => t.flaggedForOther],
    [`… answered ${answerWords.acknowledged}`, (t) => t.acknowledgedByOther],
    [`… answered ${answerWords.disputed}`, (t) => t.disputedByOther],
    ['… unanswered', (t) => t.unanswered],
    ['Late entries', (t) => t.lateEntries],
    ['By tag', (t) => counts(t.byTag)],
    ['By member', (t) => counts(t.byMember)],
    ['Supervision codes received', (t) => counts(t.codes)],
  ];
  const returned = view.rows.reduce((n, r) => n + r.returned, 0);
  return (
    <section className="panel" aria-labelledby="totals-title">
      <h2 className="panel__title" id="totals-title">
        Totals over {view.rows.length} {view.rows.length === 1 ? 'session' : 'sessions'}
      </h2>
      <table className="table table--dense" data-testid="dyad-totals">
        <thead>
          <tr>
            <th scope="col">
              <span className="visually-hidden">Figure</span>
            </th>
            {view.people.map((p) => (
              <th key={p.id} scope="col">
                {p.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {view.totals.map((t) => (
                <td key={t.accountId}>{value(t)}</td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row">Returned for revision</th>
            <td colSpan={view.people.length}>{returned}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function SessionTable({ view }: { view: DyadView }) {
  const name = (id: string) => view.people.find((p) => p.id === id)?.name ?? '';
  return (
    <TableScroll label="Figures per session">
      <table className="table table--dense" data-testid="dyad-sessions">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Session</th>
            <th scope="col">Therapist</th>
            <th scope="col">Made</th>
            <th scope="col">Flagged</th>
            <th scope="col">Ack.</th>
            <th scope="col">Disp.</th>
            <th scope="col">Open</th>
            <th scope="col">Median answer</th>
            <th scope="col">Late</th>
            <th scope="col">Returned</th>
            <th scope="col">Codes received</th>
          </tr>
        </thead>
        <tbody>
          {view.rows.flatMap((row) =>
            row.therapists.map((t, i) => (
              <tr key={`${row.sessionId}-${t.accountId}`}>
                {i === 0 && (
                  <>
                    <td rowSpan={row.therapists.length} className="nowrap">
                      {formatDay(row.date)}
                    </td>
                    <td rowSpan={row.therapists.length}>
                      {row.title} <span className="muted">· {statusLabel[row.status]}</span>
                    </td>
                  </>
                )}
                <td>{name(t.accountId)}</td>
                <td>{t.made}</td>
                <td>{t.flaggedForOther}</td>
                <td>{t.acknowledgedByOther}</td>
                <td>{t.disputedByOther}</td>
                <td>{t.unanswered}</td>
                <td>{t.medianAnswerSeconds === null ? '—' : `${Math.round(t.medianAnswerSeconds)} s`}</td>
                <td>{t.lateEntries}</td>
                {i === 0 && <td rowSpan={row.therapists.length}>{row.returned}</td>}
                <td>{counts(t.codes)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </TableScroll>
  );
}
