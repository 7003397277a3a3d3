import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RiskSection } from '../../client/features/review/RiskSection';

afterEach(cleanup);

const record = (assessment: string, plan: string) => ({
  member: 'M1', assessment, plan, by: 'b', name: 'Blair Therapist', at: '2026-12-06T10:00:00.000Z', authors: { assessment: 'Alex Therapist', plan: 'Blair Therapist' },
});

// Walk (6 Dec, helper-138): a part holding only white space read "Assessment (Alex Therapist):"
// over nothing on the review page, while both exports said "Assessment: not recorded".
describe('the review’s risk records', () => {
  it('names a part’s writer over words only; white space alone is not recorded, as in the exports', () => {
    render(<RiskSection risk={[record(' \n ', 'Call the crisis line if needed.')]} />);
    const parts = screen.getByTestId('review-risk').querySelectorAll('li > p');
    expect([...parts].slice(1).map((p) => p.textContent)).toEqual(['Assessment: not recorded', 'Plan (Blair Therapist): Call the crisis line if needed.']);
  });
});
