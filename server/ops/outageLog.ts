import type { Logger } from '../log';

/**
 * Tells the operator of a dependency that refuses some of its work once per outage: an error line
 * at the first failure, debug lines for the failures while it lasts (a guesser's every login, every
 * note's compaction, would each be an error line), and an info line with how long it lasted once
 * the work is taken again.
 */
export class OutageLog {
  private since: number | null = null;

  constructor(
    private readonly log: Logger,
    /** The info line when the work is taken again, e.g. "login throttle counting again". */
    private readonly backAgain: string,
  ) {}

  /** Whether the last attempt failed. */
  get failing(): boolean {
    return this.since !== null;
  }

  failed(what: string, err: unknown): void {
    if (this.since !== null) return this.log.debug(what, { err });
    this.since = Date.now();
    this.log.error(what, { err });
  }

  worked(): void {
    if (this.since === null) return;
    this.log.info(this.backAgain, { ms: Date.now() - this.since });
    this.since = null;
  }
}
