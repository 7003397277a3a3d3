/**
 * Keeps the save badge calm while someone types. The server confirms each keystroke within
 * milliseconds, so the strict state ({@link deriveSaveState}) flips Saving/Saved many times a
 * second. What the badge shows instead:
 * - "Saving…" only once edits have waited for the server longer than a moment (GRACE_MS without
 *   a confirmation in between), or at once after being offline, failing or connecting;
 * - "Editing" for edits younger than that, and until typing has paused for a moment;
 * - "Saved" only when the strict state is saved, so never before the server confirmed.
 */
import type { SaveState } from './saveState';

/** How long edits may wait for the server's confirmation before the badge says "Saving…". */
export const GRACE_MS = 700;

export interface CalmSaveState {
  /** What the badge shows for the strict state now; may ask for a call back via `wake`. */
  show(strict: SaveState): SaveState;
  stop(): void;
}

/**
 * `wake` is called when the shown state may change with time alone (the grace ran out); the owner
 * then calls `show` again. `now` is injectable for tests.
 */
export function calmSaveState(wake: () => void, now: () => number = Date.now): CalmSaveState {
  let shown: SaveState | null = null;
  /** Since when the edits have waited without a confirmation in between (null: nothing waiting). */
  let waitingSince: number | null = null;
  /** The last time anything waited for the server (roughly the last keystroke). */
  let lastWaiting = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const wakeAt = (at: number) => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      wake();
    }, Math.max(0, at - now()));
  };

  const decide = (strict: SaveState): SaveState => {
    const t = now();
    if (strict === 'saving') {
      lastWaiting = t;
      // After offline, a failure or a reconnect the edits have waited already: say so at once.
      if (shown !== 'saved' && shown !== 'editing') return 'saving';
      waitingSince ??= t;
      if (t - waitingSince >= GRACE_MS) return 'saving';
      wakeAt(waitingSince + GRACE_MS);
      return 'editing';
    }
    waitingSince = null;
    if (strict === 'saved' && shown === 'editing' && t - lastWaiting < GRACE_MS) {
      // Confirmed, but the person is still typing: wait for the pause before saying "Saved".
      wakeAt(lastWaiting + GRACE_MS);
      return 'editing';
    }
    return strict;
  };

  return {
    show(strict) {
      shown = decide(strict);
      return shown;
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
