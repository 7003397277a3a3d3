import type { KeyboardEvent } from 'react';
import type { Timeline } from '../../api/review';
import { sessionMoment } from './reviewFormat';
import type { ReplayState } from './useReplay';

interface ReplayControlProps {
  timeline: Timeline;
  replay: ReplayState;
}

/** Page Up / Page Down move the replay by a minute. */
const PAGE_MS = 60_000;

/**
 * A slider over the session: the note as it stood at any moment, with the observations made by
 * then. The arrow keys step from change to change (as the buttons do), Page Up / Page Down by a
 * minute, Home and End to the start and to the note as it stands: the arrows moved a second each,
 * an hour was 3600 presses (walk, 6 Dec).
 */
export function ReplayControl({ timeline, replay }: ReplayControlProps) {
  const { points } = timeline;
  if (points.length === 0) return null;
  const first = points[0]!;
  const last = points.at(-1)!;
  // From the start of the session clock (what was prepared before it shows at the start).
  const min = timeline.startedAt !== null ? Math.min(timeline.startedAt, last) : first;
  // On the slider's one-second grid, so its right end is "the last change" and not a second short.
  const max = min + Math.max(1000, Math.ceil((last - min) / 1000) * 1000);
  const at = replay.at ?? max;
  // A step goes to the next (or previous) second with changes, at its last change: the points
  // are every keystroke until the log is compacted, and a press that moved 5 ms showed the same
  // "00:00 after the start" a letter later, twenty presses a sentence (walk, 6 Dec). A second
  // is the slider's grid and the replay's resolution.
  const second = (moment: number) => Math.floor((moment - min) / 1000);
  const lastOfSecond = (moment: number) => points.findLast((p) => second(p) === second(moment))!;
  const previousPoint = points.findLast((p) => p >= min && second(p) < second(at));
  const previous = previousPoint !== undefined ? lastOfSecond(previousPoint) : at > min ? min : null;
  const nextPoint = points.find((p) => p > at);
  const next = nextPoint !== undefined ? lastOfSecond(nextPoint) : null;
  // The right end is where the thumb stands for the note as it stands: brought back there, the
  // page showed "as it stood … after the end" and hid commenting (walk, 6 Dec).
  const show = (moment: number) => replay.setAt(moment >= max ? null : Math.max(min, moment));
  const keyMoves: Record<string, () => number | null> = {
    ArrowLeft: () => previous,
    ArrowDown: () => previous,
    ArrowRight: () => next ?? max,
    ArrowUp: () => next ?? max,
    PageDown: () => at - PAGE_MS,
    PageUp: () => at + PAGE_MS,
    Home: () => min,
    End: () => max,
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const move = keyMoves[e.key];
    if (!move || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const moment = move();
    if (moment !== null) show(moment);
  };

  return (
    <div className="replay" data-testid="replay">
      <div className="replay__row">
        <label className="replay__label" htmlFor="replay-slider">
          Replay
        </label>
        <button
          type="button"
          className="button button--small"
          onClick={() => previous !== null && replay.setAt(previous)}
          disabled={previous === null}
          aria-label="Previous change"
          data-testid="replay-previous"
        >
          ◀
        </button>
        <input
          id="replay-slider"
          className="replay__slider"
          type="range"
          min={min}
          max={max}
          step={1000}
          value={at}
          onChange={(e) => show(Number(e.target.value))}
          onKeyDown={onKeyDown}
          aria-keyshortcuts="ArrowLeft ArrowRight PageUp PageDown Home End"
          aria-describedby="replay-keys"
          aria-valuetext={sessionMoment(at, timeline.startedAt, timeline.endedAt)}
          data-testid="replay-slider"
        />
        <button
          type="button"
          className="button button--small"
          onClick={() => next !== null && replay.setAt(next)}
          disabled={next === null}
          aria-label="Next change"
          data-testid="replay-next"
        >
          ▶
        </button>
        {replay.at !== null && (
          <button type="button" className="link-button" onClick={() => replay.setAt(null)} data-testid="replay-exit">
            Show the note as it stands
          </button>
        )}
      </div>
      <p className="replay__keys" id="replay-keys">
        ← → from change to change, Page Up / Page Down a minute, Home / End the start and the note as it stands.
      </p>
      <p className="replay__status" role="status" data-testid="replay-status">
        {replay.at === null
          ? 'Showing the note as it stands now.'
          : `The note as it stood ${sessionMoment(replay.at, timeline.startedAt, timeline.endedAt)}${replay.loading ? ' — loading…' : ''}`}
        {replay.error && <span className="field__error"> {replay.error}</span>}
      </p>
    </div>
  );
}
