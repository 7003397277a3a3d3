import { rateLimited, unavailable } from '../domain/errors';

/**
 * Bounds on password derivations (scrypt, N = 2^15 by default: about 100 ms of one thread and
 * 32 MiB each). They run on libuv's thread pool, four threads that file reads and zlib share too.
 * Unbounded, a burst of 1,000 parallel logins with wrong passwords from one address queued 1,000
 * derivations: a correct login from another address waited 182 s behind them, /healthz up to
 * 7 s, and the login throttle counted none of the guesses until each had been checked (attack,
 * 6 Dec).
 */
export interface PasswordWorkLimits {
  /** Derivations running at once (half the pool: the rest stays free for files and zlib). */
  running: number;
  /** One address's derivations, running and waiting together; past it: 429 `too_many_attempts`. */
  perAddress: number;
  /** Derivations waiting, from every address; past it: 503 `logins_busy`. */
  waiting: number;
}

/**
 * With `perAddress` 2, a flood from one address holds two places at most; from many addresses, a
 * login waits behind at most `waiting` derivations (64 × 100 ms ÷ 2 running: about 3 s).
 */
export const PASSWORD_WORK_LIMITS: PasswordWorkLimits = { running: 2, perAddress: 2, waiting: 64 };

/** Why a derivation was refused (for metrics): its address had its share, or every place was taken. */
export type PasswordWorkRefusal = 'address' | 'busy';

/**
 * Runs password derivations within PasswordWorkLimits, first come first served. A derivation past
 * a bound is refused at once (a DomainError: 429 with Retry-After, or 503), before any work; an
 * address's place is given back when its derivation ends, however it ends.
 */
export class PasswordWork {
  private running = 0;
  private readonly queue: (() => void)[] = [];
  /** Derivations per address, running and waiting. */
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly limits: PasswordWorkLimits = PASSWORD_WORK_LIMITS,
    private readonly onRefused: (why: PasswordWorkRefusal) => void = () => {},
  ) {}

  /** Derivations waiting for a place now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Runs `derive` for `address` once a place is free; throws DomainError when a bound is reached. */
  async run<T>(address: string, derive: () => Promise<T>): Promise<T> {
    const mine = this.byAddress.get(address) ?? 0;
    if (mine >= this.limits.perAddress) {
      this.onRefused('address');
      throw rateLimited('too_many_attempts', 'Too many logins at once from this address; wait for the last one to finish, then try again.', 1);
    }
    if (this.running >= this.limits.running && this.queue.length >= this.limits.waiting) {
      this.onRefused('busy');
      throw unavailable('logins_busy', 'The server is checking many passwords at the moment; try again in a few seconds.');
    }
    this.byAddress.set(address, mine + 1);
    try {
      if (this.running >= this.limits.running) await new Promise<void>((resolve) => this.queue.push(resolve));
      else this.running++;
      try {
        return await derive();
      } finally {
        // The place passes straight to the next in line (`running` stays as it is), or is freed.
        const next = this.queue.shift();
        if (next) next();
        else this.running--;
      }
    } finally {
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    }
  }
}
