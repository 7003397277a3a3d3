import { describe, expect, it } from 'vitest';
import { formatDuration, formatOffset } from '../../shared/domain/observation';

// Walk, 6 Dec: "Lasted 11:12" read as a time of day, or as 11 hours.
describe('formatDuration', () => {
  it('says a session’s length in minutes, and hours with minutes', () => {
    expect(formatDuration(11 * 60_000 + 12_000)).toBe('11 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 05 min');
    expect(formatDuration(30_000)).toBe('under a minute');
    expect(formatOffset(11 * 60_000 + 12_000)).toBe('11:12');
  });
});
