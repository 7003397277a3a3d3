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
});
