import { describe, expect, it } from 'vitest';
import { nextSessionTitle } from '../../shared/domain/nextSessionTitle';

describe('the next session of a recurring group', () => {
  const day = new Date(2026, 11, 7);
  it('counts on the last number in the title', () => {
    expect(nextSessionTitle('Tuesday anxiety group, week 6', day)).toBe('Tuesday anxiety group, week 7');
    expect(nextSessionTitle('Group 9 (DBT)', day)).toBe('Group 10 (DBT)');
    expect(nextSessionTitle('2026 cohort, session 12', day)).toBe('2026 cohort, session 13');
  });
  it('names the day when the title has no number', () => {
    expect(nextSessionTitle('Tuesday group', day)).toBe('Tuesday group, 7 Dec');
  });
  it('names the new day in a title it dated, and counts a second session of the same day', () => {
    expect(nextSessionTitle('Tuesday group, 30 Nov', day)).toBe('Tuesday group, 7 Dec');
    expect(nextSessionTitle('Tuesday group, 7 Dec', day)).toBe('Tuesday group, 7 Dec (2)');
    expect(nextSessionTitle('Tuesday group, 7 Dec (2)', day)).toBe('Tuesday group, 7 Dec (3)');
    expect(nextSessionTitle('Tuesday group, 1 Sept', day)).toBe('Tuesday group, 7 Dec');
    // A week count is still a count.
    expect(nextSessionTitle('Tuesday group, week 7', day)).toBe('Tuesday group, week 8');
  });
});
