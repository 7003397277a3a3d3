import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewRun } from '../../shared/domain/review';
import { ReviewNote } from '../../client/features/review/ReviewNote';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

let clock = 0;
const run = (text: string, authorId: string, formatted: ReviewRun['formatted'] = null): ReviewRun => ({
  text, marks: [], authorId, lateAt: null, observationIds: [], struck: null, formatted, client: 1, clock: (clock += 100),
});
const quote = { by: 'blair', at: '2026-12-06T05:47:00.000Z', changes: [{ mark: 'block:blockquote', on: true }] };
const look = {
  authors: new Map([['alex', { name: 'Alex Therapist', color: '#1b7f3b' }], ['blair', { name: 'Blair Therapist', color: '#0f766e' }]]),
  observationColor: new Map<string, string>(),
  focusedObservation: null,
  lineWords: new Map<ReviewRun, string>(),
  authorTurns: new Set<ReviewRun>(),
};
const labels = () => screen.getAllByTestId('formatted-label').map((l) => l.textContent);

// 6 Dec: the exports quoted the words a change of a line's kind was about, when only part of the
// line; the review page's label did not, and read as if the whole line was made a quote.
describe('ReviewNote', () => {
  it('quotes the words a change of the line’s kind is about when they are not the whole line', () => {
    render(<ReviewNote blocks={[{ type: 'paragraph', attrs: {}, children: [], runs: [run('Client tearful.', 'alex', quote), run(' Blair wrote this.', 'blair')] }]} passages={[]} look={look} />);
    expect(labels()).toEqual([expect.stringMatching(/^“Client tearful\.” made a quote by Blair Therapist, /)]);
  });

  it('numbers a list as the note does, a, b, c when the co-therapist set it so', () => {
    const numbered = (type: string | null) => ({ type: 'orderedList', attrs: { start: 1, type }, runs: [], children: [{ type: 'listItem', attrs: {}, runs: [], children: [{ type: 'paragraph', attrs: {}, children: [], runs: [run('Practise listening', 'alex')] }] }] });
    const { container } = render(<ReviewNote blocks={[numbered('a'), numbered(null)]} passages={[]} look={look} />);
    expect(Array.from(container.querySelectorAll('ol'), (ol) => ol.type)).toEqual(['a', '']);
  });

  it('quotes nothing when the change is about the whole line', () => {
    render(<ReviewNote blocks={[{ type: 'paragraph', attrs: {}, children: [], runs: [run('Client tearful.', 'alex', quote)] }]} passages={[]} look={look} />);
    expect(labels()).toEqual([expect.stringMatching(/^made a quote by Blair Therapist, /)]);
  });
});
