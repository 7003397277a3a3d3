/**
 * Dates people pick (a calendar day, in the clinic's zone) as instants. A filter "from 2026-11-30
 * to 2026-11-30" means that whole day where the clinic is, not in UTC.
 */

/** The zone's offset from UTC (ms) at instant `ms`. */
function offsetAt(timeZone: string, ms: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** Midnight starting `day` (YYYY-MM-DD), or the day `after` days later, in the zone. */
export function startOfDay(day: string, timeZone: string, after = 0): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d + after);
  // Twice: the offset at the guess may differ from the offset at the answer across a DST change.
  const first = wall - offsetAt(timeZone, wall);
  return wall - offsetAt(timeZone, first);
}

const isDay = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);

/** The instant a `from` bound starts at. */
export const fromBound = (v: string, timeZone: string): number => (isDay(v) ? startOfDay(v, timeZone) : Date.parse(v));

/** The instant a `to` bound ends before: a day includes all of itself. */
export function toBound(v: string, timeZone: string): number {
  // The next day by its numbers: through an ISO string, 9999-12-31's next day read "+010000-01" (500; attack, 4 Dec).
  return isDay(v) ? startOfDay(v, timeZone, 1) : Date.parse(v) + 1;
}

/** A range's two ends as instants, refusing one that ends before it starts (400 naming `to`). */
export function dateRange(q: { from?: string; to?: string }, timeZone: string, invalid: (field: string, message: string) => Error): { from?: number; to?: number } {
  const from = q.from === undefined ? undefined : fromBound(q.from, timeZone);
  const to = q.to === undefined ? undefined : toBound(q.to, timeZone);
  if (from !== undefined && to !== undefined && to <= from) throw invalid('to', 'to: the end of the range is before its start');
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
