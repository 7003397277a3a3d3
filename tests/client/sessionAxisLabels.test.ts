import { describe, expect, it } from 'vitest';
import { formatDay, sessionAxisLabels } from '../../client/features/supervisor/deskLabels';

describe('the Pairs charts’ session labels', () => {
  it('name the day, and the time as well where two sessions fell on one day', () => {
    // Near noon UTC, so both fall on one day in any zone of a test machine.
    const dates = ['2026-11-30T11:00:00Z', '2026-11-30T11:45:00Z', '2026-12-02T11:00:00Z'];
    const labels = sessionAxisLabels(dates);
    expect(new Set(labels).size).toBe(3);
    expect(labels[0]).toContain(formatDay(dates[0]!));
    expect(labels[0]).not.toBe(formatDay(dates[0]!));
    expect(labels[2]).toBe(formatDay(dates[2]!));
  });

  it('count sessions of the same minute, which the chart would draw as one', () => {
    const labels = sessionAxisLabels(['2026-11-30T11:00:00Z', '2026-11-30T11:00:20Z', '2026-11-30T11:00:40Z']);
    expect(new Set(labels).size).toBe(3);
    expect(labels[1]).toBe(`${labels[0]} (2)`);
    expect(labels[2]).toBe(`${labels[0]} (3)`);
  });

  it('keep a date that does not parse as the dash lists show', () => {
    expect(sessionAxisLabels(['not a date', 'not a date'])).toEqual(['—', '—']);
  });
});
