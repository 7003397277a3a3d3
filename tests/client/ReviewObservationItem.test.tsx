import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ReviewObservationItem } from '../../client/features/review/ReviewObservationItem';
import { ALEX, BLAIR, observation } from '../helpers/reviewFixture';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const show = (o: Parameters<typeof observation>[0]) =>
  render(
    <ul>
      <ReviewObservationItem sessionId="s" observation={observation(o)} authorColor="#1b7f3b" flaggedFor="Blair Therapist" threads={[]} me={ALEX} canComment={false} canReply={false} onShow={() => {}} onChanged={() => {}} />
    </ul>,
  );

// Attack, 6 Dec: Blair joined Alex's next line into his tagged line; every word stayed Alex's, so
// the page showed nothing of it. The record now says who changed what it quotes (extentChanges.ts).
describe('ReviewObservationItem', () => {
  it('says who changed what the observation quotes, when, and what it quoted as tagged', () => {
    show({
      id: 'joined', kind: 'line', authorId: ALEX, quote: 'tearful when her father came up.No risk indicators today; plan unchanged.',
      extentChanged: { by: BLAIR, byName: 'Blair Therapist', at: '2026-12-06T13:05:00.000Z', was: 'tearful when her father came up.' },
    });
    const label = screen.getByTestId('observation-extent-changed').textContent!;
    expect(label).toContain('What it quotes was changed by Blair Therapist');
    expect(label).toContain('as tagged: “tearful when her father came up.”');
  });

  // A walk (6 Dec): a tagged line left empty read “…” in the review, as if words were left out.
  it('says a tagged line has nothing written after its label, and quotes the words of one that has', () => {
    show({ id: 'empty', kind: 'line', authorId: ALEX, quote: ' ' });
    expect(screen.getByTestId('observation-show').textContent).toBe('Nothing written after the tag’s label');
    cleanup();
    show({ id: 'written', kind: 'line', authorId: ALEX, quote: 'tearful ' });
    expect(screen.getByTestId('observation-show').textContent).toBe('“tearful”');
  });

  it('shows no such line for an observation no one else changed', () => {
    show({ id: 'own', kind: 'line', authorId: ALEX, quote: 'tearful' });
    expect(screen.queryByTestId('observation-extent-changed')).toBeNull();
  });
});
