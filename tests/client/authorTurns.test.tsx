import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { authorTurns } from '../../client/features/review/authorTurns';
import { ReviewNote } from '../../client/features/review/ReviewNote';
import { ALEX, BLAIR, run, textBlock } from '../helpers/reviewFixture';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

describe('the reviewed note names who wrote what where the writer changes', () => {
  it('names the first writer of each line and each change of writer, not the template', () => {
    const blocks = [
      textBlock('paragraph', [run('Plan: ', { authorId: null }), run('review in a week.', { authorId: ALEX }), run(' Call M1', { authorId: BLAIR }), run(' first.', { authorId: BLAIR }), run(' Agreed.', { authorId: ALEX })]),
      textBlock('paragraph', [run('Risk: none stated.', { authorId: ALEX })]),
    ];
    const look = {
      authors: new Map([[ALEX, { name: 'Alex Rivera', color: '#1f6feb' }], [BLAIR, { name: 'Blair Chen', color: '#b35900' }]]),
      observationColor: new Map<string, string>(),
      focusedObservation: null,
      lineWords: new Map(),
      authorTurns: authorTurns(blocks),
    };
    const { container } = render(<ReviewNote blocks={blocks} passages={[]} look={look} />);
    const named = [...container.querySelectorAll<HTMLElement>('[data-writer]')].map((el) => [el.dataset.writer, el.textContent]);
    expect(named).toEqual([
      ['Alex Rivera', 'review in a week.'],
      ['Blair Chen', ' Call M1'],
      ['Alex Rivera', ' Agreed.'],
      ['Alex Rivera', 'Risk: none stated.'],
    ]);
  });
});
