import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReplayControl } from '../../client/features/review/ReplayControl';
import type { ReplayState } from '../../client/features/review/useReplay';

afterEach(cleanup);

const START = Date.UTC(2026, 11, 6, 13, 46, 49);
const timeline = { startedAt: START, endedAt: START + 120_000, points: [START + 2_000, START + 60_000, START + 122_000] };

function replayAt(at: number | null): ReplayState {
  return { at, data: null, loading: false, error: null, setAt: vi.fn() };
}

// A walk (6 Dec): the supervisor replayed from the start and brought the thumb back to the right
// end, where it stands for the note as it stands; the page went on showing the moment of the last
// change ("as it stood after the end, +00:02"), with commenting hidden until "Show the note as it stands".
describe('ReplayControl', () => {
  it('shows the note as it stands again when the slider is brought back to its right end', () => {
    const replay = replayAt(START);
    render(<ReplayControl timeline={timeline} replay={replay} />);
    const slider = screen.getByTestId('replay-slider') as HTMLInputElement;
    fireEvent.change(slider, { target: { value: slider.max } });
    expect(replay.setAt).toHaveBeenLastCalledWith(null);
  });

  it('shows a moment before the end as that moment', () => {
    const replay = replayAt(null);
    render(<ReplayControl timeline={timeline} replay={replay} />);
    fireEvent.change(screen.getByTestId('replay-slider'), { target: { value: String(START + 60_000) } });
    expect(replay.setAt).toHaveBeenLastCalledWith(START + 60_000);
  });
});
