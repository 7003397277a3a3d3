import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { answerWords } from '../../../shared/domain/observation';
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

/** The longest tag or code name drawn under its bars (the tooltip has it whole), in characters. */
const CATEGORY_CHARS = 24;
const shortCategory = (name: string) => (name.length <= CATEGORY_CHARS ? name : `${name.slice(0, CATEGORY_CHARS - 1).trimEnd()}…`);
/** A session's point named by its day (and time where two fell on one day); its title is in the tooltip. */
const sessionLabel = (x: string) => x.split(' · ')[0] ?? x;
/** Room under the chart for slanted names: about 4 px per character at 12 px slanted by 35°. */
const slantedHeight = (names: string[]) => 24 + 4 * Math.max(...names.map((n) => n.length));
/** Room left of the chart for the first slanted name, which reaches back from its point (about 5.7 px per character). */
const slantedLeft = (names: string[]) => Math.max(-12, Math.round(5.7 * Math.max(...names.map((n) => n.length))) - 48);
/** Up to this many sessions, every one is named under the chart (more would overlap even slanted). */
const NAMED_SESSIONS = 12;

/** `category`: the x axis names tags or codes, not sessions (their labels are shown whole). */
/** `people`: one series each, in the colour the person has everywhere else (by order, Ann was blue in the note and orange here: walk, 4 Dec). */
function Chart({ title, data, people, kind, unit, category = false }: { title: string; data: Record<string, unknown>[]; people: DyadView['people']; kind: 'line' | 'bar'; unit?: string; category?: boolean }) {
  const Outer = kind === 'line' ? LineChart : BarChart;
  const shown = category ? shortCategory : sessionLabel;
  const every = category || data.length <= NAMED_SESSIONS;
  return (
    <figure className="trend-chart" aria-label={title}>
      <figcaption className="trend-chart__title">{title}</figcaption>
      {data.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={170 + (every ? slantedHeight(data.map((d) => shown(String(d.x)))) : 30)}>
          <Outer data={data} margin={{ top: 8, right: 12, bottom: 4, left: every ? slantedLeft(data.slice(0, 1).map((d) => shown(String(d.x)))) : -12 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            {/* Every tag, code and (up to NAMED_SESSIONS) session named, slanted to fit: recharts drops
                the names that would overlap, and bars, or one of two sessions of a day, had none (walk, 4 Dec). */}
            {every ? (
              <XAxis dataKey="x" tick={{ ...AXIS, textAnchor: 'end' }} interval={0} angle={-35} height={slantedHeight(data.map((d) => shown(String(d.x))))} tickFormatter={shown} />
            ) : (
              <XAxis dataKey="x" tick={AXIS} tickFormatter={shown} />
            )}
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
      <Chart title={`Their flags the other answered ${answerWords.acknowledged}`} kind="bar" people={view.people} data={series(view, (t) => t.acknowledgedByOther)} />
      <Chart title="Median time from flag to answer" kind="line" unit="s" people={view.people} data={series(view, (t) => (t.medianAnswerSeconds === null ? null : Math.round(t.medianAnswerSeconds)))} />
      <Chart title="Late entries" kind="bar" people={view.people} data={series(view, (t) => t.lateEntries)} />
      <Chart title="Observations by tag (all sessions)" kind="bar" people={view.people} data={byCategory(view, (t) => t.byTag)} category />
      <Chart title="Supervision codes received (all sessions)" kind="bar" people={view.people} data={byCategory(view, (t) => t.codes)} category />
    </div>
  );
}
