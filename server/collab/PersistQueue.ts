import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { DocStore, NewLogEntry } from '../persistence/ports';
import { AppendRefusedError, StorageError, type AppendRefusal } from '../persistence/storageBoundary';

/** What one successful write made durable. */
export interface Stored<Mark> {
  /** How many log entries the write stored. */
  count: number;
  /** What `mark()` returned as the write began: the state the write covers, nothing later. */
  mark: Mark;
  /** Whether earlier attempts to store these entries failed. */
  recovered: boolean;
  /** Set when the store refused the entries for good (AppendRefusedError): none was stored. */
  refused?: true;
}

export interface PersistOptions<Mark> {
  /** Called as a write begins (for a note: its state vector); handed back in `Stored.mark`. */
  mark(): Mark;
  /** A write failed; its entries stay queued and are retried. `attempt` counts from 1. */
  onFailed(err: unknown, attempt: number): void;
  /** The store refused `count` entries for good (AppendRefusedError): they are dropped, not retried. */
  onRefused(count: number, reason: AppendRefusal): void;
}

/**
 * Waits between attempts to store a note: short at first (a dropped connection is replaced at
 * once), and at most 5 s, so every note is stored within about 5 s of the database coming back.
 */
const RETRY: Backoff = { firstMs: 200, maxMs: 5_000 };

/**
 * Most bytes one append hands the store. The store commits every note's appends together (the
 * SQLite writer's group commit) or on a few pooled connections, so one note's multi-megabyte batch
 * (a long paste) in one append made every other note's "Saved" and relays wait for it: a keystroke
 * in another note waited 305 ms (paste bench); at 256 KiB per append, still up to 52 ms. A bigger
 * batch goes in several appends in turn.
 */
export const MAX_APPEND_BYTES = 64 * 1024;

/** `batch` in runs of at most MAX_APPEND_BYTES, in order; an entry larger than that goes alone. */
function appendRuns(batch: NewLogEntry[]): NewLogEntry[][] {
  const runs: NewLogEntry[][] = [];
  let run: NewLogEntry[] = [];
  let bytes = 0;
  for (const entry of batch) {
    if (run.length > 0 && bytes + entry.data.byteLength > MAX_APPEND_BYTES) {
      runs.push(run);
      run = [];
      bytes = 0;
    }
    run.push(entry);
    bytes += entry.data.byteLength;
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Group commit for one document: updates that arrive within one event-loop turn are written in
 * one transaction, so a burst of keystrokes costs one fsync. A failed write keeps its entries at
 * the head of the queue and retries with backoff and jitter; nothing is dropped and nothing is
 * confirmed until the store said it is durable.
 *
 * Durability is a promise: `enqueue` returns the promise of the write that will store the entry.
 * Entries stored by one write share one promise and one `Stored` value; it never rejects (a
 * failing store is retried for as long as it takes, and reported through `onFailed`).
 */
export class PersistQueue<Mark> {
  private pending: NewLogEntry[] = [];
  /** Resolved by the write that stores `pending`. */
  private next: Deferred<Stored<Mark>> | null = null;
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** What the last failed write failed with (for `stored` while the queue waits to retry). */
  private lastError: unknown = null;
  /** Waiting for the queue to be idle; `failed` set for those told of the next failed write (`stored`). */
  private drainWaiters: { idle(): void; failed?(err: unknown): void }[] = [];
  /** When the oldest entry of the write in flight was queued (epoch ms). */
  private writingSince: number | null = null;

  constructor(
    private readonly store: DocStore,
    private readonly docId: string,
    private readonly options: PersistOptions<Mark>,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  get isFailing(): boolean {
    return this.failures > 0;
  }

  /** Failed attempts since the last successful write. */
  get failedAttempts(): number {
    return this.failures;
  }

  /** Entries not yet confirmed durable (queued or being written). */
  get isIdle(): boolean {
    return this.pending.length === 0 && this.writing === null;
  }

  /** When the oldest entry not yet confirmed durable was queued (its `at`, epoch ms), or null. */
  get oldestUnconfirmedAt(): number | null {
    return this.writingSince ?? this.pending[0]?.at ?? null;
  }

  /** Queues an entry; resolves once the write that stores it is durable. */
  enqueue(entry: NewLogEntry): Promise<Stored<Mark>> {
    this.pending.push(entry);
    this.next ??= deferred();
    this.schedule();
    return this.next.promise;
  }

  /** Resolves once everything enqueued so far is durable (retrying as long as it takes). */
  drain(): Promise<void> {
    return this.idle(false);
  }

  /**
   * Resolves once everything enqueued so far is durable; rejects with the last write's error while
   * the queue waits to retry, and with the next write's error when it fails. For someone waiting on
   * a request (a review, an export, a signature's check of the stored note): during an outage
   * `drain` waits for its end, and the page spun for as long (operator fault test, 6 Dec). It does
   * not retry sooner than the backoff says: each request would be a write attempt of its own.
   */
  stored(): Promise<void> {
    if (this.retryTimer) return Promise.reject(storageFailure(this.lastError));
    return this.idle(true);
  }

  private idle(failFast: boolean): Promise<void> {
    if (this.isIdle) return Promise.resolve();
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.schedule();
    }
    return new Promise((idle, failed) => this.drainWaiters.push(failFast ? { idle, failed } : { idle }));
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
    if (this.writing || this.pending.length === 0 || !this.next) return;
    const batch = this.pending;
    const done = this.next;
    this.pending = [];
    this.next = null;
    this.writingSince = batch[0]!.at;
    this.writing = this.write(batch, done);
    await this.writing;
    this.writing = null;
    this.writingSince = null;
    if (this.pending.length > 0 && !this.retryTimer) this.schedule();
    else if (this.isIdle) this.resolveDrain();
  }

  private async write(batch: NewLogEntry[], done: Deferred<Stored<Mark>>): Promise<void> {
    const mark = this.options.mark();
    let written = 0;
    try {
      // The batch is confirmed once, after its last run: `mark` covers all of it.
      for (const run of appendRuns(batch)) {
        await this.store.append(this.docId, run);
        written += run.length;
      }
      const recovered = this.failures > 0;
      this.failures = 0;
      done.resolve({ count: batch.length, mark, recovered });
    } catch (err) {
      if (err instanceof AppendRefusedError) return this.refuse(batch.length - written, mark, done, err.reason);
      // The entries not yet stored go first again (those stored stay stored, once), and entries
      // queued meanwhile are stored with them: one write, whose `Stored` value both promises
      // resolve with.
      this.pending = batch.slice(written).concat(this.pending);
      const queuedMeanwhile = this.next;
      this.next = done;
      if (queuedMeanwhile) void done.promise.then(queuedMeanwhile.resolve);
      this.failures++;
      this.lastError = err;
      this.options.onFailed(err, this.failures);
      this.tellFailed(err);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.flush();
      }, backoffDelay(this.failures - 1, RETRY));
    }
  }

  /** Drops what the store refused and everything queued after it (the note is served from storage again). */
  private refuse(unstored: number, mark: Mark, done: Deferred<Stored<Mark>>, reason: AppendRefusal): void {
    const count = unstored + this.pending.length;
    const refused: Stored<Mark> = { count: 0, mark, recovered: false, refused: true };
    done.resolve(refused);
    this.next?.resolve(refused);
    this.pending = [];
    this.next = null;
    this.options.onRefused(count, reason);
  }

  private resolveDrain(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.idle();
  }

  private tellFailed(err: unknown): void {
    const told = this.drainWaiters.filter((w) => w.failed);
    this.drainWaiters = this.drainWaiters.filter((w) => !w.failed);
    for (const w of told) w.failed!(storageFailure(err));
  }
}

const storageFailure = (err: unknown): StorageError => (err instanceof StorageError ? err : new StorageError('docs.append', err));
