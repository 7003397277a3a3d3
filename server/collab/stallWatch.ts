import { Gauge, type Registry } from 'prom-client';

/** A note's write path as the watch sees it (DurabilityStage). */
export interface Watched {
  /** When the oldest edit not yet confirmed stored was queued (epoch ms), or null when all are. */
  oldestUnconfirmedAt(): number | null;
  /** Its oldest edit has waited past the bound: tell its clients and the log, once per stall. */
  stalled(waitedMs: number): void;
}

/**
 * Notices writes that neither complete nor fail. A store can take every query and answer none
 * (a silent connection holding a note's lock, a link slowed to a crawl): no write fails, so
 * nothing else would tell. Every note with unconfirmed edits is watched; one whose oldest edit
 * has waited longer than `boundMs` is stalled: its clients are told, a warn line is logged, and
 * `isStalled()` (read by /healthz) is true until every edit older than the bound is stored.
 */
export class StallWatch {
  private readonly watched = new Set<Watched>();
  private readonly timer: NodeJS.Timeout;

  /** `boundMs`: how long an edit may wait for storage before storage counts as stalled. */
  constructor(readonly boundMs: number) {
    // A few sweeps per bound: a stall is told within about 1.25 bounds.
    this.timer = setInterval(() => this.sweep(), Math.max(50, Math.min(1_000, boundMs / 4)));
    this.timer.unref();
  }

  /** Watches `note` until it has nothing unconfirmed (cheap to repeat: called on every edit). */
  watch(note: Watched): void {
    this.watched.add(note);
  }

  /** Age in ms of the oldest unconfirmed edit of any note, 0 when none waits. */
  oldestWaitMs(now = Date.now()): number {
    let oldest = 0;
    for (const note of this.watched) {
      const at = note.oldestUnconfirmedAt();
      if (at !== null) oldest = Math.max(oldest, now - at);
    }
    return oldest;
  }

  /** Whether some note's edits have waited for storage longer than the bound. */
  isStalled(): boolean {
    return this.oldestWaitMs() > this.boundMs;
  }

  /** Registers `tandem_store_oldest_unsaved_seconds` (read at scrape time). */
  register(registry: Registry): void {
    const watch = this;
    new Gauge({
      name: 'tandem_store_oldest_unsaved_seconds',
      help: 'Seconds the oldest note edit not yet confirmed stored has waited (0: none waits); over TANDEM_STORE_STALL_MS, /healthz says the store is failing.',
      registers: [registry],
      collect() {
        this.set(watch.oldestWaitMs() / 1000);
      },
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sweep(): void {
    const now = Date.now();
    for (const note of this.watched) {
      const at = note.oldestUnconfirmedAt();
      if (at === null) this.watched.delete(note);
      else if (now - at > this.boundMs) note.stalled(now - at);
    }
  }
}
