/** Something with work waiting that takes it one item per call (a connection's Inbox). */
export interface Turnable {
  /** Handles the next waiting item; true when more wait. */
  handleOne(): boolean;
}

/** The clock and the deferral a TurnShare runs on: the event loop's, unless a test gives its own. */
export interface TurnClock {
  now(): number;
  /** Runs `fn` once the loop has polled for I/O again (setImmediate). */
  defer(fn: () => void): void;
}

const loopClock: TurnClock = { now: () => performance.now(), defer: (fn) => void setImmediate(fn) };

/**
 * Shares each turn of the event loop among all connections' incoming frames, so that no one
 * connection's backlog holds every other note up. libuv reads up to 32 chunks from one socket per
 * poll, and each chunk's frames were handled as it arrived: a paste sent in 214 pieces kept the loop
 * for 120–190 ms at a time (CPU profile of the paste bench), while another note's keystroke waited.
 *
 * A frame is handled in line, as it arrives, while nothing waits and this turn has spent less than
 * `sliceMs` on frames; otherwise it waits, and waiting connections take turns, one frame each,
 * round robin, in a later turn of the loop (after it polled for I/O again), `sliceMs` per turn.
 * So a turn holds at most about `sliceMs` plus one frame of frame handling, and a connection
 * that sends one frame waits behind at most one frame of each busy connection.
 */
export class TurnShare {
  private spent = 0;
  private readonly waiting: Turnable[] = [];
  private scheduled = false;

  constructor(
    private readonly sliceMs = 8,
    private readonly clock: TurnClock = loopClock,
  ) {}

  /** Whether a frame may be handled in line: nothing waits and this turn's slice is not spent. */
  mayRunNow(): boolean {
    return this.waiting.length === 0 && this.spent < this.sliceMs;
  }

  /** Runs `work` in line, counting its time against this turn's slice. Rethrows what it throws. */
  runNow(work: () => void): void {
    const started = this.clock.now();
    try {
      work();
    } finally {
      this.spent += this.clock.now() - started;
      // The slice is per turn: the next turn starts with none of it spent.
      this.schedule();
    }
  }

  /** Gives `t` turns, after those already waiting, until its `handleOne` says nothing more waits. */
  wait(t: Turnable): void {
    if (!this.waiting.includes(t)) this.waiting.push(t);
    this.schedule();
  }

  /** Stops giving `t` turns (its connection closed). */
  forget(t: Turnable): void {
    const at = this.waiting.indexOf(t);
    if (at >= 0) this.waiting.splice(at, 1);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.clock.defer(this.turn);
  }

  private readonly turn = (): void => {
    this.scheduled = false;
    const until = this.clock.now() + Math.max(0, this.sliceMs - this.spent);
    this.spent = 0;
    try {
      // At least one frame per turn, so that a turn whose slice went on in-line frames still moves.
      let first = true;
      while (this.waiting.length > 0 && (first || this.clock.now() < until)) {
        first = false;
        const t = this.waiting.shift()!;
        let more = true;
        try {
          more = t.handleOne();
        } finally {
          if (more) this.waiting.push(t);
        }
      }
    } finally {
      if (this.waiting.length > 0) this.schedule();
    }
  };
}
