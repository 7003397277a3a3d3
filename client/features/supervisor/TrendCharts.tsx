import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DyadView } from '../../../shared/domain/supervisor';
import { sessionAxisLabels } from './deskLabels';

const AXIS = { stroke: 'var(--text-muted)', fontSize: 12 };

interface Props {
  view: DyadView;
}

/** One point per session: its date, and per therapist the figure. */
function series(view: DyadView, figure: (t: DyadView['rows'][number]['therapists'][number]) => number | null) {
  const labels = sessionAxisLabels(view.rows.map((row) => row.date));
  return view.rows.map((row, i) => ({
    x: `${labels[i]} · ${row.title}`,
    ...Object.fromEntries(view.people.map((p) => [p.name, figure(row.therapists.find((t) => t.accountId === p.id)!)])),
  }));
}

/** `category`: the x axis names tags or codes, not sessions (their labels are shown whole). */
/** `people`: one series each, in the colour the person has everywhere else (by order, Ann was blue in the note and orange here: walk, 4 Dec). */
function Chart({ title, data, people, kind, unit, category = false }: { title: string; data: Record<string, unknown>[]; people: DyadView['people']; kind: 'line' | 'bar'; unit?: string; category?: boolean }) {
  const Outer = kind === 'line' ? LineChart : BarChart;
  return (
    <figure className="trend-chart" aria-label={title}>
      <figcaption className="trend-chart__title">{title}</figcaption>
      {data.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={200}>
          <Outer data={data} margin={{ top: 8, right: 12, bottom: 4, left: -12 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis dataKey="x" tick={AXIS} tickFormatter={category ? undefined : (v: string) => v.split(' · ')[0] ?? v} />
            <YAxis tick={AXIS} allowDecimals={false} unit={unit} />
            <Tooltip contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }} />
            <Legend />
            {people.map(({ name, color }) =>
              kind === 'line' ? (
                <Line key={name} type="monotone" dataKey={name} stroke={color} strokeWidth={2} dot connectNulls isAnimationActive={false} />
              ) : (
                <Bar key={name} dataKey={name} fill={color} isAnimationActive={false} />
              ),
            )}
          </Outer>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

/** Totals per category (a tag, a member, a code), one bar per therapist. */
function byCategory(view: DyadView, counts: (t: DyadView['totals'][number]) => Record<string, number>) {
  const categories = [...new Set(view.totals.flatMap((t) => Object.keys(counts(t))))].sort();
  return categories.map((category) => ({
    x: category,
    ...Object.fromEntries(view.people.map((p) => [p.name, counts(view.totals.find((t) => t.accountId === p.id)!)[category] ?? 0])),
  }));
}

/** The pair's (or one therapist's) trend over sessions, as charts; the table beside them has the numbers. */
export function TrendCharts({ view }: Props) {
  return (
    <div className="trend-charts" data-testid="trend-charts">
      <Chart title="Observations made" kind="line" people={view.people} data={series(view, (t) => t.made)} />
      <Chart title="Flagged for the other" kind="line" people={view.people} data={series(view, (t) => t.flaggedForOther)} />
      <Chart title="Their flags acknowledged by the other" kind="bar" people={view.people} data={series(view, (t) => t.acknowledgedByOther)} />
      <Chart title="Median time from flag to answer" kind="line" unit="s" people={view.people} data={series(view, (t) => (t.medianAnswerSeconds === null ? null : Math.round(t.medianAnswerSeconds)))} />
      <Chart title="Late entries" kind="bar" people={view.people} data={series(view, (t) => t.lateEntries)} />
      <Chart title="Observations by tag (all sessions)" kind="bar" people={view.people} data={byCategory(view, (t) => t.byTag)} category />
      <Chart title="Supervision codes received (all sessions)" kind="bar" people={view.people} data={byCategory(view, (t) => t.codes)} category />
    </div>
  );
}
