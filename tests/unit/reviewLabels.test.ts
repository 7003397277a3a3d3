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
    // Its words are whole words: the label is about the whole line.
    expect(labels.get(typedOn)).toMatchObject([{ by: 'blair', change: 'made a heading', words: 'Talked about the exam results' }]);
  });

  // Walk, 6 Dec: "Tearful [made a quote, taken out of a bulleted list by …] twi [made a quote by …] ce.".
  it('puts every label of the line’s kind at its end, one per person and change, and never inside a word', () => {
    const quote = { ...heading, changes: [{ mark: 'block:blockquote', on: true }] };
    const first = run('Client tearful, tw', quote);
    const typed = run('i', { ...quote, changes: [{ mark: 'block:blockquote', on: true }, { mark: 'block:bulletList', on: false }] });
    const later = run('ce. Calm', null);
    const last = run(' after.', { ...quote, at: '2026-12-06T05:47:00.000Z' });
    const labels = formattedLabels([first, typed, later, last]);
    expect([...labels.keys()]).toEqual([last]);
    expect(labels.get(last)).toEqual([
      { by: 'blair', at: '2026-12-06T05:47:00.000Z', change: 'made a quote', words: 'Client tearful, twice. … after.', quoted: 'Client tearful, twice. … after.' },
      { by: 'blair', at: heading.at, change: 'made a quote, taken out of a bulleted list', words: 'twice.', quoted: 'twice.' },
    ]);
  });

  it('keeps a mark’s label right after the words it is on, and the kind part of a label at the line’s end', () => {
    const bolded = run('exam', bold);
    const after = run(' results', null);
    expect([...formattedLabels([bolded, after]).keys()]).toEqual([bolded]);
    const both = run('Sleep poor', { ...bold, changes: [{ mark: 'block:heading', on: true }, { mark: 'bold', on: true }] });
    const second = run(' this week', { ...heading, by: 'alex' });
    const end = run('.', null);
    const labels = formattedLabels([both, second, end]);
    expect([...labels].map(([r, ls]) => [r.text, ls.map((l) => `${l.change} by ${l.by}: ${l.words}`)])).toEqual([
      ['Sleep poor', ['made bold by blair: Sleep poor']],
      ['.', ['made a heading by blair: Sleep poor', 'made a heading by alex: this week.']],
    ]);
  });
});
