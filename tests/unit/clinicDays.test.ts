import { describe, expect, it } from 'vitest';
import { dateRange, fromBound, startOfDay, toBound } from '../../server/supervisor/clinicDays';

const invalid = (field: string, message: string) => Object.assign(new Error(message), { field });

describe('days picked in the clinic’s zone', () => {
  it('starts a day at local midnight, also on the days the clocks change', () => {
    expect(new Date(startOfDay('2026-11-30', 'Europe/Berlin')).toISOString()).toBe('2026-11-29T23:00:00.000Z');
    expect(new Date(startOfDay('2026-07-01', 'Europe/Berlin')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // Berlin moves to summer time at 02:00 on 29 March 2026: that day starts at winter time's midnight.
    expect(new Date(startOfDay('2026-03-29', 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(startOfDay('2026-11-01', 'America/New_York')).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(new Date(startOfDay('2026-11-30', 'UTC')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });

  it('makes a "to" day include all of itself (23 or 25 hours across a change) and an instant include itself', () => {
    const zone = 'Europe/Berlin';
    expect(toBound('2026-03-29', zone) - fromBound('2026-03-29', zone)).toBe(23 * 3_600_000);
    expect(toBound('2026-10-25', zone) - fromBound('2026-10-25', zone)).toBe(25 * 3_600_000);
    expect(toBound('2026-11-30T10:00:00Z', zone)).toBe(Date.parse('2026-11-30T10:00:00Z') + 1);
    // Across a month, a year and the last day a four-digit year can name.
    expect(new Date(toBound('2026-12-31', 'UTC')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(toBound('9999-12-31', 'UTC')).toBe(Date.UTC(10000, 0, 1));
    expect(toBound('9999-12-31', zone)).toBe(Date.UTC(10000, 0, 1) - 3_600_000);
  });

  it('refuses a range that ends before it starts, naming "to"', () => {
    expect(() => dateRange({ from: '2026-11-30', to: '2026-11-29' }, 'UTC', invalid)).toThrow(expect.objectContaining({ field: 'to' }));
    expect(dateRange({ from: '2026-11-30', to: '2026-11-30' }, 'UTC', invalid)).toEqual({ from: Date.parse('2026-11-30T00:00:00Z'), to: Date.parse('2026-12-01T00:00:00Z') });
    expect(dateRange({}, 'UTC', invalid)).toEqual({});
  });
});
