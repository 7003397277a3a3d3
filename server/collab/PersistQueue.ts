import { backoffDelay, type Backoff } from '../backoff';
import type { DocStore, NewLogEntry } from '../persistence/ports';

export interface PersistEvents<Mark> {
  /**
   * Called as a write begins; what it returns is handed back to `onStored`. Lets the caller note
   * the state the write covers (for a note: its state vector) without counting later updates.
   */
  markWrite(): Mark;
  /** Every entry enqueued before the write began is durable; `mark` is what markWrite returned. */
  onStored(count: number, mark: Mark): void;
  /** A write failed; the entries stay queued and are retried. */
  onFailed(err: unknown, attempt: number): void;
  /** A write succeeded after failures. */
  onRecovered(): void;
}

/**
 * Waits between attempts to store a note: short at first (a dropped connection is replaced at
 * once), and at most 5 s, so every note is stored within about 5 s of the database coming back.
 */
const RETRY: Backoff = { firstMs: 200, maxMs: 5_000 };

/**
 * Group commit for one document: updates that arrive within one event-loop turn are written in
 * one transaction, so a burst of keystrokes costs one fsync. A failed write keeps its entries at
 * the head of the queue and retries with backoff and jitter; nothing is dropped and nothing is
 * confirmed until the store said it is durable.
 */
export class PersistQueue<Mark> {
  private pending: NewLogEntry[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly store: DocStore,
    private readonly docId: string,
    private readonly events: PersistEvents<Mark>,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  get isFailing(): boolean {
    return this.failures > 0;
  }

  /** Entries not yet confirmed durable (queued or being written). */
  get isIdle(): boolean {
    return this.pending.length === 0 && this.writing === null;
  }

  enqueue(entry: NewLogEntry): void {
    this.pending.push(entry);
    this.schedule();
  }

  /** Resolves once everything enqueued so far is durable (retrying as long as it takes). */
  drain(): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.schedule();
    }
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Stops retrying (used when the process is going down and the store is closed). */
  dispose(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private schedule(): void {
    if (this.scheduled || this.writing || this.retryTimer) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.write(batch);
    await this.writing;
    this.writing = null;
    if (this.pending.length > 0 && !this.retryTimer) this.schedule();
    else if (this.isIdle) this.resolveDrain();
  }

  private async write(batch: NewLogEntry[]): Promise<void> {
    const mark = this.events.markWrite();
    try {
      await this.store.append(this.docId, batch);
      const recovered = this.failures > 0;
      this.failures = 0;
      this.events.onStored(batch.length, mark);
      if (recovered) this.events.onRecovered();
    } catch (err) {
      this.pending = batch.concat(this.pending);
      this.failures++;
      this.events.onFailed(err, this.failures);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.flush();
      }, backoffDelay(this.failures - 1, RETRY));
    }
  }

  private resolveDrain(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }
}
