import { describe, expect, it } from 'vitest';
import type { ReviewBlock, ReviewRun } from '../../shared/domain/review';
import { observationQuotes } from '../../server/review/observationQuotes';

const run = (text: string, observationIds: string[] = [], authorId = 'alex'): ReviewRun => ({
  text, marks: [], authorId, lateAt: null, observationIds, struck: null, formatted: null, client: 1, clock: 0,
});
const text = (...runs: ReviewRun[]): ReviewBlock => ({ type: 'text', attrs: {}, runs, children: [] });
const mention = (id: string, authorId = 'alex'): ReviewBlock => ({ type: 'mention', attrs: { id }, runs: [], children: [], authorId });
const paragraph = (...children: ReviewBlock[]): ReviewBlock => ({ type: 'paragraph', attrs: {}, runs: [], children });

describe('an observation’s quote in the review and the exports', () => {
  it('keeps the member mentions among and right beside its tagged words', () => {
    const quotes = observationQuotes([
      // Tagged whole: the mark covers the words, never the chips.
      paragraph(mention('M1'), text(run(' and ', ['o1'])), mention('M2'), text(run(' both described panic.', ['o1']), run(' Then the break.'))),
      // Tagged after the chip, and a chip further on past untagged words stays out.
      paragraph(text(run('Early on ')), mention('M3', 'blair'), text(run(' ')), text(run('went quiet', ['o2']), run(' while '))),
      paragraph(text(run('Nobody answered', ['o3']), run(' ')), mention('M2'), text(run(' and later '))),
    ], new Set());
    expect(quotes.get('o1')?.quote).toBe('@M1 and @M2 both described panic.');
    expect(quotes.get('o2')?.quote).toBe('@M3 went quiet');
    // The chip's writer counts among the quote's writers.
    expect([...quotes.get('o2')!.writers].sort()).toEqual(['alex', 'blair']);
    expect(quotes.get('o3')?.quote).toBe('Nobody answered @M2');
  });

  it('leaves out a mention beyond other words, and quotes nothing but the tagged words without mentions', () => {
    const quotes = observationQuotes([
      paragraph(mention('M1'), text(run(' said hello. ')), text(run('Flat affect', ['o1']), run(' throughout, said '))),
      paragraph(text(run('Plain ', ['o2']), run('words', ['o2']))),
    ], new Set());
    expect(quotes.get('o1')?.quote).toBe('Flat affect');
    expect(quotes.get('o2')?.quote).toBe('Plain words');
  });
});
