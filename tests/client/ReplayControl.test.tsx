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

// A walk (6 Dec, shot 29): the arrow keys moved the replay one second each, an hour's session
// 3600 presses. The arrows now step between the moments the note changed, Page keys by a minute,
// Home and End to the start and to the note as it stands; it stays a slider with its moment said.
describe('ReplayControl from the keyboard', () => {
  // From a moment, each key and the moment it shows (null: the note as it stands). The replay
  // stays where it was between the presses here: each key is judged from the same moment.
  const moves: [what: string, from: number, presses: [key: string, to: number | null][]][] = [
    ['steps from change to change with the arrow keys', START + 10_000, [['ArrowRight', START + 60_000], ['ArrowLeft', START + 2_000], ['ArrowUp', START + 60_000], ['ArrowDown', START + 2_000]]],
    ['moves a minute with Page Up and Page Down, never before the start', START + 10_000, [['PageUp', START + 70_000], ['PageDown', START]]],
    ['goes to the start with Home and to the note as it stands with End', START + 60_000, [['Home', START], ['End', null]]],
    ['goes to the note as it stands with the right arrow after the last change', START + 122_000, [['ArrowRight', null]]],
  ];

  it.each(moves)('%s', (_what, from, presses) => {
    const replay = replayAt(from);
    render(<ReplayControl timeline={timeline} replay={replay} />);
    const slider = screen.getByRole('slider');
    for (const [key, to] of presses) {
      fireEvent.keyDown(slider, { key });
      expect(replay.setAt, key).toHaveBeenLastCalledWith(to);
    }
    expect(slider.getAttribute('aria-valuetext')).toMatch(/after the (start|end)/);
  });
});

// A walk (6 Dec): the points are every keystroke until the log is compacted; each arrow press
// moved 5 ms, the note a letter on, and the slider said "00:00 after the start" twenty presses
// a sentence. A press now goes to the next (or previous) second with changes, at its last one.
describe('ReplayControl over keystrokes', () => {
  const typed = { startedAt: START, endedAt: START + 20_000, points: [START + 2_000, START + 2_005, START + 2_010, START + 2_990, START + 3_400, START + 3_410, START + 9_000] };
  const presses: [from: number, key: string, to: number | null][] = [
    [START, 'ArrowRight', START + 2_990],
    [START + 2_005, 'ArrowRight', START + 2_990],
    [START + 2_990, 'ArrowRight', START + 3_410],
    // The last change is the note as it stands.
    [START + 3_410, 'ArrowRight', null],
    [START + 3_410, 'ArrowLeft', START + 2_990],
    [START + 2_990, 'ArrowLeft', START],
  ];

  it.each(presses)('from %i, %s shows %s', (from, key, to) => {
    const replay = replayAt(from);
    render(<ReplayControl timeline={typed} replay={replay} />);
    fireEvent.keyDown(screen.getByRole('slider'), { key });
    expect(replay.setAt).toHaveBeenLastCalledWith(to);
  });

  it('steps the same way with the ◀ ▶ buttons', () => {
    const replay = replayAt(START + 2_990);
    render(<ReplayControl timeline={typed} replay={replay} />);
    fireEvent.click(screen.getByTestId('replay-next'));
    expect(replay.setAt).toHaveBeenLastCalledWith(START + 3_410);
    fireEvent.click(screen.getByTestId('replay-previous'));
    expect(replay.setAt).toHaveBeenLastCalledWith(START);
  });
});
