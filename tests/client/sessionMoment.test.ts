import { describe, expect, it } from 'vitest';
import { sessionMoment } from '../../client/features/review/reviewFormat';

describe('a moment of the replay, in words', () => {
  const start = Date.UTC(2026, 11, 2, 14, 0, 0);
  const end = start + (3 * 60 + 37) * 1000;

  it('counts from the start during the session, and from the end after it (walk, 2 Dec: a change after the end read "04:58 after the start")', () => {
    expect(sessionMoment(start + 90_000, start, end)).toMatch(/^01:30 after the start \(/);
    expect(sessionMoment(end, start, end)).toMatch(/^03:37 after the start \(/);
    expect(sessionMoment(end + 81_000, start, end)).toMatch(/^after the end, \+01:21 \(/);
    expect(sessionMoment(start - 5_000, start, end)).toMatch(/^before the start \(/);
  });

  it('counts from the start while the session has not ended', () => {
    expect(sessionMoment(start + 298_000, start, null)).toMatch(/^04:58 after the start \(/);
  });
});
