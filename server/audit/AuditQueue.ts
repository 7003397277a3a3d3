import type { Logger } from '../log';
import type { AuditRecord, AuditStore } from '../persistence/ports';
import { backoffDelay, type Backoff } from '../../shared/backoff';

/** Audit records wait like note updates: 200 ms doubling to 5 s, with jitter. */
const RETRY: Backoff = { firstMs: 200, maxMs: 5_000 };

/**
 * Audit records nobody waits on (a note opened or left: socket events, which cannot fail a
 * request), written as soon as possible and never dropped. While storage refuses them they stay
 * queued, in order, and are retried with backoff and jitter like the notes' update log; each
 * keeps the time of its event, not of its write. They live in memory until written: a process
 * killed during an outage loses them, as it loses the edits it had not stored.
 */
export class AuditQueue {
  private pending: AuditRecord[] = [];
  private writing = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private drainWaiters: (() => void)[] = [];

  constructor(
    private readonly audit: Pick<AuditStore, 'append'>,
    private readonly log: Logger,
  ) {}

  /** Records waiting to be written (queued, being written, or waiting for a retry). */
  get size(): number {
    return this.pending.length;
  }

  record(entry: AuditRecord): void {
    this.pending.push(entry);
    if (!this.writing && !this.retryTimer) void this.flush();
  }

  /** Resolves once every record so far is written (retrying as long as it takes). */
  drain(): Promise<void> {
    if (this.pending.length === 0 && !this.writing) return Promise.resolve();
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      void this.flush();
    }
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      // Side by side: SQLite's writer commits them together; PostgreSQL takes each on its own.
      const results = await Promise.allSettled(batch.map((entry) => this.audit.append(entry)));
      const failed = batch.filter((_, i) => results[i]!.status === 'rejected');
      if (failed.length > 0) {
        this.pending = failed.concat(this.pending);
        this.failures++;
        const err = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason;
        this.log.error('audit records could not be written; keeping them and retrying', { err, count: this.pending.length, n_attempt: this.failures });
        this.writing = false;
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          void this.flush();
        }, backoffDelay(this.failures - 1, RETRY));
        return;
      }
      if (this.failures > 0) this.log.info('audit records written after storage recovered', { count: batch.length, n_attempts: this.failures + 1 });
      this.failures = 0;
    }
    this.writing = false;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
