import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { Logger } from '../log';

/**
 * Whether this process shares edits live with the others now: false during a Redis outage, until
 * it has re-subscribed (each process stores its own clients' edits meanwhile).
 */
export interface LiveSharing {
  readonly interrupted: boolean;
  /** Told when an outage begins (true) and once it is over (false). */
  onChange(listener: (interrupted: boolean) => void): void;
}

/** Waits between attempts to re-subscribe and catch up after an outage. */
const RECOVERY: Backoff = { firstMs: 100, maxMs: 5_000 };
/**
 * An outage that begins this soon after the last one ended is the same trouble coming back (a
 * recovery that passed its checks, then failed at its first real use): its first attempt waits
 * longer than the last. Without it such an outage and its recovery took turns ten times a second,
 * each logged and told to every page (Redis refusing publishes, operator fault test, 6 Dec).
 * Long enough for a failure the recovery itself brings on to show: on a link that trickles its
 * bytes, the catch-up's notes republished whole hold the next PING past its 2 s timeout (and a
 * probe goes each second), so such relapses came 2–2.5 s after each recovery, were not counted,
 * and outage and recovery took turns every 6 s, each told to every page (attack, 6 Dec).
 */
const RELAPSE_MS = 10_000;
/**
 * The first wait of an outage that is a relapse, by how many came in a row: a link that fails each
 * time it is used in earnest is said "interrupted" for longer and longer, not "back" every few
 * seconds. Only that first wait: an attempt that then fails is retried on RECOVERY's waits. When
 * failed attempts waited on these too, two in a row after a dozen relapses kept a healed link's
 * edits from crossing between processes for over a minute (CI, 7 Dec).
 */
const RELAPSES: Backoff = { firstMs: 100, maxMs: 30_000 };

export interface RecoveryDeps {
  log: Logger;
  /** Whether both connections are up and answering, so an attempt can be made. */
  connected(): boolean;
  /** Re-subscribes everything; throws when Redis refuses (tried again after a wait). */
  resubscribe(): Promise<void>;
  /**
   * Publishes once, so the outage is over only when Redis takes publishes again: one that answers
   * PING but refuses PUBLISH would otherwise end each outage as it began (the catch-up's publishes
   * failing at once), logging and telling every page "interrupted" and "back" ten times a second.
   */
  publishes(): Promise<void>;
  /**
   * Whether both connections answer PING now, asked after re-subscribing: one whose replies fell
   * out of step while the link lost bytes would otherwise be found (and dropped) just after the
   * recovery was announced, a second outage.
   */
  answersNow(): Promise<boolean>;
  /** Catches the open notes up once re-subscribed; `outageMs` is how long the outage lasted. */
  catchUp(outageMs: number): Promise<void>;
  /** How many notes are subscribed, for the log line. */
  subscribed(): number;
}

/**
 * The Redis fan-out's outage state: when it began, and retrying recovery on a timer with backoff
 * until an attempt succeeds. Pub/sub forgets what it could not deliver, so an outage is noted once
 * and recovered from as a whole (see RedisFanout's `onResync`).
 */
export class OutageRecovery implements LiveSharing {
  /** Since when Redis has been (partly) unreachable; null while all is well. */
  private since: number | null = null;
  private readonly listeners: ((interrupted: boolean) => void)[] = [];
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Attempts that failed in this outage; sets the wait before the next. */
  private failures = 0;
  /** Outages in a row that each began within RELAPSE_MS of the last one's end; sets this outage's first wait. */
  private relapses = 0;
  /** When the last outage ended (0: none yet). */
  private recoveredAt = 0;
  /** Losses noted so far (a closed connection, a failed command, an unanswered probe), outage or not. */
  private losses = 0;
  private stopped = false;

  constructor(private readonly deps: RecoveryDeps) {}

  /** Whether an outage is being recovered from (until re-subscribed, other processes' edits do not arrive). */
  get interrupted(): boolean {
    return this.since !== null;
  }

  onChange(listener: (interrupted: boolean) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Logs once per outage, however many publishes fail or probes go unanswered meanwhile, with what
   * went wrong first when known (`err`), and makes sure recovery is tried.
   */
  noteOutage(role: 'publisher' | 'subscriber', err?: unknown): void {
    if (this.stopped) return;
    this.losses++;
    if (this.since === null) {
      this.since = Date.now();
      this.relapses = this.recoveredAt > 0 && this.since - this.recoveredAt < RELAPSE_MS ? this.relapses + 1 : 0;
      this.failures = 0;
      this.deps.log.error(
        `Redis connection lost (${role}): serving this process's clients only; their edits are still stored, other processes' edits arrive once Redis is back`,
        { count: this.deps.subscribed(), err },
      );
      for (const listener of this.listeners) listener(true);
    }
    // A failed command on a connection that stayed up brings no 'ready' event to recover on.
    this.schedule();
  }

  /**
   * Runs on every 'ready' (ioredis reconnects with a backoff of its own), when a connection answers
   * again, and on the recovery timer.
   */
  tryNow(): void {
    if (this.stopped || this.since === null || this.running) return;
    // Not both up and answering: the one still down calls again once it is back.
    if (!this.deps.connected()) return;
    this.running = this.attempt(this.since).finally(() => {
      this.running = null;
      // Dropped again while recovering, or the attempt failed: try again after a wait, RECOVERY's
      // (a relapse's first wait, still pending, would hold a link that heals meanwhile for it).
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.schedule();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async attempt(since: number): Promise<void> {
    const losses = this.losses;
    try {
      await this.deps.resubscribe();
      await this.deps.publishes();
      if (!(await this.deps.answersNow())) throw new Error('a Redis connection did not answer PING after re-subscribing');
      // A connection lost while this attempt ran, and open again by its end, passes every check
      // above; the subscriber's new connection holds none of the subscriptions made before it
      // (autoResubscribe is off). Ended so, the outage stayed over while other processes' edits
      // never arrived (CI run, 7 Dec: "another process is not heard on Redis" 6 s after "back").
      if (this.losses !== losses) throw new Error('a Redis connection was lost while re-subscribing');
    } catch (err) {
      this.failures++;
      this.deps.log.warn('re-subscribing after a Redis outage failed; retrying after a wait', { err, n_attempt: this.failures });
      return;
    }
    // Over once re-subscribed: a loss while catching up is an outage of its own (a relapse, if soon).
    this.since = null;
    this.recoveredAt = Date.now();
    for (const listener of this.listeners) listener(false);
    await this.deps.catchUp(Date.now() - since);
  }

  /**
   * The one way recovery is retried: on a timer, with backoff. A connection can look ready while
   * its socket has already ended; every command on it then fails at once, and retrying straight
   * from the failure would spin the event loop (no I/O, so the close that fixes the state never
   * gets processed, and neither do requests or signals).
   */
  private schedule(): void {
    if (this.stopped || this.since === null || this.running || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tryNow();
    }, this.failures === 0 && this.relapses > 0 ? backoffDelay(this.relapses, RELAPSES) : backoffDelay(this.failures, RECOVERY));
    this.timer.unref();
  }
}
