import type { QueueState } from '../../../shared/domain/supervisor';

/** How each queue state reads, for the supervisor and for a therapist. */
export const queueStateLabel: Record<'supervisor' | 'therapist', Record<QueueState, string>> = {
  supervisor: {
    awaiting_cosign: 'Awaiting your co-signature',
    resubmitted: 'Re-signed after your return',
    returned: 'Returned, with the therapists',
    reviewed: 'Co-signed',
    to_sign: 'To sign',
  },
  therapist: {
    to_sign: 'Awaiting signature',
    returned: 'Returned for revision',
    awaiting_cosign: 'Awaiting co-signature',
    resubmitted: 'Re-signed',
    reviewed: 'Co-signed',
  },
};

/** The order the counts are shown in, per role. */
export const queueStatesFor: Record<'supervisor' | 'therapist', QueueState[]> = {
  supervisor: ['awaiting_cosign', 'resubmitted', 'returned', 'reviewed'],
  therapist: ['to_sign', 'returned', 'awaiting_cosign', 'reviewed'],
};

const day = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * The sessions' labels on a chart's axis, in order: the day, and the time too where two sessions
 * fell on one day (walk, 3 Dec: two sessions of one day read alike on the Pairs charts).
 */
export function sessionAxisLabels(dates: readonly string[]): string[] {
  const days = dates.map(formatDay);
  const labels = dates.map((iso, i) => {
    const d = days[i]!;
    const shared = days.indexOf(d) !== days.lastIndexOf(d) && !Number.isNaN(new Date(iso).getTime());
    return shared ? `${d}, ${time.format(new Date(iso))}` : d;
  });
  // Sessions of the same minute still read alike, and the chart drew them as one (walk, 4 Dec): count them.
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const n = (seen.get(label) ?? 0) + 1;
    seen.set(label, n);
    return n === 1 || label === '—' ? label : `${label} (${n})`;
  });
}

/** A session's date as lists show it: "Mon, 23 Nov 2026". */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : day.format(date);
}
