/** Bounds of an exponential backoff. */
export interface Backoff {
  /** Wait before the first retry (before jitter). */
  firstMs: number;
  /** No wait is longer than this. */
  maxMs: number;
}

/**
 * How long to wait before retry number `attempt` (0 for the first): doubling from `firstMs` up
 * to `maxMs`, then a random point in its upper half. Every retry waits on a timer, so an attempt
 * that fails at once cannot spin the event loop; the jitter keeps processes and notes that failed
 * together (one outage) from retrying in lockstep when the dependency comes back.
 */
export function backoffDelay(attempt: number, { firstMs, maxMs }: Backoff): number {
  const ceiling = Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
