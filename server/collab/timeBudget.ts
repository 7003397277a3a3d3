/**
 * Time each key (an account) may spend on some work per window: spent time is counted from the
 * start of a window; past `ms` in it, the key waits until the window ends. Bounds what one member's
 * updates can make the server do (the observation guard's exact judgment, held updates judged again).
 */
export class TimeBudget {
  private readonly windows = new Map<string, { since: number; ms: number }>();

  constructor(
    private readonly budget: { ms: number; windowMs: number },
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** How long until `key` may spend time again, ms (0: now). */
  wait(key: string): number {
    const w = this.windows.get(key);
    if (!w || w.ms < this.budget.ms) return 0;
    return Math.max(0, w.since + this.budget.windowMs - this.now());
  }

  /** Counts `ms` spent by `key` on work that started at `at` (a window that ended gives way to one from `at`). */
  spend(key: string, ms: number, at = this.now()): void {
    let w = this.windows.get(key);
    if (!w || at - w.since >= this.budget.windowMs) this.windows.set(key, (w = { since: at, ms: 0 }));
    w.ms += ms;
  }
}
