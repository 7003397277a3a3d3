import type { Logger } from '../log';

/**
 * Tells the operator of an event that comes in floods (a connection refused, one timed out) once
 * per burst, not once per event: a warn line at the first, naming its peer's address; while they
 * go on, one line per `windowMs` with how many came in it; and an info line once a whole window
 * passed without one. A flood of 10,000 refused sockets is then a few lines, not 10,000.
 */
export class BurstLog {
  private inBurst = 0;
  private inWindow = 0;
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: Logger,
    /** What happened, e.g. "connections refused: the process holds its bound". */
    private readonly what: string,
    /** Fields every line carries (the bound, say). */
    private readonly fields: { [key: `n_${string}`]: number } = {},
    private readonly windowMs = 60_000,
  ) {}

  /** One more event, from `address` when known. */
  note(address: string | undefined): void {
    this.inBurst++;
    this.inWindow++;
    if (this.timer) return;
    this.startedAt = Date.now();
    this.inWindow = 0;
    this.log.warn(this.what, { ...this.fields, ...(address ? { address } : {}) });
    this.timer = setInterval(() => this.endWindow(), this.windowMs);
    this.timer.unref();
  }

  /** Stops the window's timer (the server is closing). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private endWindow(): void {
    if (this.inWindow > 0) {
      this.log.warn(`${this.what} (still)`, { ...this.fields, count: this.inWindow, ms: this.windowMs });
      this.inWindow = 0;
      return;
    }
    this.log.info(`${this.what} (over)`, { ...this.fields, count: this.inBurst, ms: Date.now() - this.startedAt });
    this.stop();
    this.inBurst = 0;
  }
}
