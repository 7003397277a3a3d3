import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { Logger } from '../log';
import type { BindingStore } from '../persistence/sessionPorts';

/** Waits between tries of the announcement storage refused: 1 s doubling to 30 s, with jitter. */
const ANNOUNCE_RETRY: Backoff = { firstMs: 1_000, maxMs: 30_000 };

/**
 * Keeps one note's presence announcements in storage (BindingStore.announce), one at a time, in
 * the order they came. One storage refused is tried again with backoff, the others waiting behind
 * it, until stored or `stop`: a lost try (storage failing while Redis was away) left the id unknown
 * to other processes' storage checks, and the co-therapist there bound it first (re-check, 4 Dec);
 * and retried apart, an account's 1,000 ids made ~90 tries a second of an outage (attack, 5 Dec).
 */
export class AnnouncementKeeper {
  /** In order; the first is with storage, or waiting to be tried again. */
  private readonly waiting: { clientId: number; account: string; at: number }[] = [];
  /** Whether the first of `waiting` is with storage now (not waiting to be tried again). */
  private inFlight = false;
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly sessionId: string,
    private readonly keep: { store: Pick<BindingStore, 'announce'>; log: Logger },
  ) {}

  /** Keeps `account`'s announcement of `clientId`, made at `at` (epoch ms). */
  add(clientId: number, account: string, at: number): void {
    if (this.stopped) return;
    if (this.waiting.push({ clientId, account, at }) === 1) this.next(0);
  }

  /**
   * The note is unloaded here: what waits is tried once more, all at once, and no more after that
   * (a page that returns announces again). The announcements of pages that left just before the
   * unload are kept as before there was a queue.
   */
  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const left = this.waiting.splice(this.inFlight ? 1 : 0);
    const { sessionId, keep } = this;
    for (const a of left) {
      keep.store.announce(sessionId, a.clientId, a.account, a.at).catch((err: unknown) => keep.log.warn('keeping a presence announcement failed as its note was unloaded', { sessionId, err }));
    }
  }

  private next(tried: number): void {
    const head = this.waiting[0];
    if (!head || this.stopped) return;
    const { sessionId } = this;
    this.inFlight = true;
    this.keep.store.announce(sessionId, head.clientId, head.account, head.at).then(
      () => {
        this.inFlight = false;
        this.waiting.shift();
        this.next(0);
      },
      (err: unknown) => {
        this.inFlight = false;
        if (this.stopped) return;
        this.keep.log.warn('keeping a presence announcement failed; trying again', { sessionId, err, count: tried + 1, n_waiting: this.waiting.length });
        this.retry = setTimeout(() => this.next(tried + 1), backoffDelay(tried, ANNOUNCE_RETRY));
        this.retry.unref();
      },
    );
  }
}
