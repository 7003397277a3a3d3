import { describe, expect, it } from 'vitest';
import { formattedLabels, type ReviewRun } from '../../shared/domain/review';

const run = (text: string, formatted: ReviewRun['formatted'], struck: ReviewRun['struck'] = null): ReviewRun => ({
  text, marks: [], authorId: 'alex', lateAt: null, observationIds: [], struck, formatted, client: 1, clock: 0,
});
const heading = { by: 'blair', at: '2026-12-06T05:46:00.000Z', changes: [{ mark: 'block:heading', on: true }] };
const bold = { by: 'blair', at: '2026-12-06T05:46:00.000Z', changes: [{ mark: 'bold', on: true }] };

describe('formattedLabels', () => {
  // Walk, 6 Dec: "the exam re [made a heading by Blair Chen, 05:46] sults".
  it('puts the label of a line made a heading at the line’s end, not inside a word typed on after the change', () => {
    const moved = run('Talked about the exam re', heading);
    const typedOn = run('sults', null);
    const labels = formattedLabels([moved, typedOn, run('', null, { by: 'blair', at: heading.at })]);
    expect([...labels.keys()]).toEqual([typedOn]);
    expect(labels.get(typedOn)).toMatchObject({ by: 'blair', change: 'made a heading', words: 'Talked about the exam re' });
  });

  it('keeps a mark’s label right after the words it is on, and two labels where they were', () => {
    const bolded = run('exam', bold);
    const after = run(' results', null);
    expect([...formattedLabels([bolded, after]).keys()]).toEqual([bolded]);
    const first = run('Sleep poor', heading);
    const second = run(' this week', { ...heading, by: 'alex' });
    expect([...formattedLabels([first, second, run('.', null)]).keys()]).toEqual([first, second]);
  });
});
