import type { LoginThrottleKind, LoginThrottleView } from '../../shared/domain/throttle';
import type { Logger } from '../log';
import { OutageLog } from '../ops/outageLog';

/** Failed logins counted under one key. */
export interface ThrottleEntry {
  failures: number;
  lastFailureAt: number;
}

/**
 * Where failure counts live: in memory for one process, in Redis for all of them (so a second
 * process does not hand out a fresh allowance). Counting is atomic per key.
 */
export interface ThrottleStore {
  get(key: string): Promise<ThrottleEntry | null>;
  /** Counts one failure at `at`; the entry is forgotten `ttlMs` after its last failure. */
  fail(key: string, at: number, ttlMs: number): Promise<ThrottleEntry>;
  clear(key: string): Promise<void>;
  /** Every live entry, for the admin's view. */
  list(): Promise<[string, ThrottleEntry][]>;
  /** A write of the kind `fail` makes, outside the counts: throws while the store refuses writes. */
  probe?(): Promise<void>;
  close(): Promise<void>;
}

/** One process's counts, for a server without Redis (and for tests). */
export class MemoryThrottleStore implements ThrottleStore {
  private readonly entries = new Map<string, ThrottleEntry & { expiresAt: number }>();

  async get(key: string): Promise<ThrottleEntry | null> {
    return this.live(key, Date.now());
  }

  async fail(key: string, at: number, ttlMs: number): Promise<ThrottleEntry> {
    // Read and write with no await between them: that is what makes the count atomic here.
    const failures = (this.live(key, at)?.failures ?? 0) + 1;
    this.entries.set(key, { failures, lastFailureAt: at, expiresAt: at + ttlMs });
    if (this.entries.size > 100_000) for (const k of [...this.entries.keys()]) this.live(k, at);
    return { failures, lastFailureAt: at };
  }

  async clear(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async list(): Promise<[string, ThrottleEntry][]> {
    const now = Date.now();
    return [...this.entries.keys()].flatMap((key) => {
      const e = this.live(key, now);
      return e ? [[key, e] as [string, ThrottleEntry]] : [];
    });
  }

  private live(key: string, now: number): ThrottleEntry | null {
    const e = this.entries.get(key);
    if (!e) return null;
    if (e.expiresAt <= now) {
      this.entries.delete(key);
      return null;
    }
    return { failures: e.failures, lastFailureAt: e.lastFailureAt };
  }

  async close(): Promise<void> {}
}

interface Rule {
  /** Failures allowed before any delay. */
  free: number;
  /** The longest delay: past it the count still grows, the wait does not. */
  maxDelayMs: number;
  /** How long after its last failure a count is forgotten. */
  ttlMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The login throttle: growing delays, never a lockout that the right password cannot end soon.
 * - One address guessing one account (`pair`) gets `attempts` free failures, then waits 1 s, 2 s,
 *   4 s… up to 15 minutes after each further failure. This is the person who forgot their
 *   password, and a guesser at one address.
 * - One address over all accounts (`address`; a clinic behind one NAT shares it) and one account
 *   from all addresses (`account`; guessing spread over many addresses) each get five times that,
 *   then delays that stop growing at one minute: they slow guessing to a crawl, but someone else's
 *   mistakes or an attacker's guesses cost a colleague or the account's owner a minute at most.
 * While a key's delay runs, every attempt under it is refused (429) before the password is checked.
 * When the counts cannot be read or written (Redis down) logins go on unthrottled, logged loudly:
 * scrypt still bounds guessing, and a clinic must not be locked out of its notes by an outage.
 */
/** How long a count taken speaks for the throttle's store before /healthz writes a probe, ms. */
const COUNT_FRESH_MS = 5_000;

export class LoginThrottle {
  private readonly rules: Record<LoginThrottleKind, Rule>;
  /**
   * Whether the counts can be read and written. A Redis that is full (`-OOM`, maxmemory with
   * noeviction) still answers PING and DEL but refuses every count, so this, not the connection's
   * liveness, tells /healthz that logins go unthrottled.
   */
  private readonly outage: OutageLog;
  /** When a count (or a probe) was last taken: one that recent speaks for the store. */
  private countedAt = 0;

  constructor(
    private readonly store: ThrottleStore,
    attempts: number,
    log: Logger,
  ) {
    this.outage = new OutageLog(log, 'login throttle counting again');
    this.rules = {
      pair: { free: attempts, maxDelayMs: 15 * MINUTE, ttlMs: 15 * MINUTE },
      address: { free: attempts * 5, maxDelayMs: MINUTE, ttlMs: 24 * 60 * MINUTE },
      account: { free: attempts * 5, maxDelayMs: MINUTE, ttlMs: 24 * 60 * MINUTE },
    };
  }

  /** Seconds to wait before this email may be tried from this address; 0 when it may be now. */
  async retryAfterSeconds(email: string, address: string, now = Date.now()): Promise<number> {
    try {
      const waits = await Promise.all(
        keysFor(email, address).map(async ([kind, key]) => this.waitMs(kind, await this.store.get(key), now)),
      );
      return Math.ceil(Math.max(0, ...waits) / SECOND);
    } catch (err) {
      this.outage.failed('login throttle unavailable; logins are not throttled', err);
      return 0;
    }
  }

  async fail(email: string, address: string, now = Date.now()): Promise<void> {
    try {
      await Promise.all(keysFor(email, address).map(([kind, key]) => this.store.fail(key, now, this.rules[kind].ttlMs)));
      this.counting();
    } catch (err) {
      this.outage.failed('login throttle unavailable; a failed login was not counted', err);
    }
  }

  /** A successful login forgets that address's failures for the account (not the wider counts). */
  async succeed(email: string, address: string): Promise<void> {
    try {
      await this.store.clear(keyOf('pair', email, address));
    } catch (err) {
      // The login stands: a person with the right password is not turned away for want of Redis
      // (it answered 500, operator fault test, 2 Dec). The failures stay counted until they expire.
      this.outage.failed('login throttle unavailable; a successful login did not clear earlier failures', err);
    }
  }

  /**
   * Whether failed logins are counted, for /healthz. A count taken lately says so; otherwise (no
   * failed login for a while, or the last count failed) the store is asked to take a write now, so
   * a Redis that filled up is seen before the first mistyped password, and its end without one.
   */
  async counts(): Promise<boolean> {
    if (!this.outage.failing && Date.now() - this.countedAt < COUNT_FRESH_MS) return true;
    try {
      await this.store.probe?.();
    } catch (err) {
      this.outage.failed('login throttle unavailable; failed logins would not be counted', err);
      return false;
    }
    this.counting();
    return true;
  }

  private counting(): void {
    this.countedAt = Date.now();
    this.outage.worked();
  }

  /** What is being counted now, most recent failure first. */
  async list(now = Date.now()): Promise<LoginThrottleView[]> {
    const views = (await this.store.list()).flatMap(([key, entry]) => {
      const parsed = parseKey(key);
      if (!parsed) return [];
      return [{ id: key, ...parsed, failures: entry.failures, lastFailureAt: new Date(entry.lastFailureAt).toISOString(), retryAfterSeconds: Math.ceil(this.waitMs(parsed.kind, entry, now) / SECOND) }];
    });
    return views.sort((a, b) => b.lastFailureAt.localeCompare(a.lastFailureAt));
  }

  /** Forgets one count (the admin's "clear"); false when there was none. */
  async clear(id: string): Promise<boolean> {
    if (!parseKey(id) || !(await this.store.get(id))) return false;
    await this.store.clear(id);
    return true;
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private waitMs(kind: LoginThrottleKind, entry: ThrottleEntry | null, now: number): number {
    const rule = this.rules[kind];
    if (!entry || entry.failures < rule.free) return 0;
    const delay = Math.min(rule.maxDelayMs, SECOND * 2 ** Math.min(30, entry.failures - rule.free));
    return Math.max(0, entry.lastFailureAt + delay - now);
  }
}

function keyOf(kind: LoginThrottleKind, email: string, address: string): string {
  if (kind === 'account') return `account:${email}`;
  if (kind === 'address') return `address:${address}`;
  // Addresses hold no space and emails hold no space: the first one separates them.
  return `pair:${address} ${email}`;
}

function keysFor(email: string, address: string): [LoginThrottleKind, string][] {
  return (['pair', 'address', 'account'] as const).map((kind) => [kind, keyOf(kind, email, address)]);
}

function parseKey(key: string): Pick<LoginThrottleView, 'kind' | 'email' | 'address'> | null {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const rest = key.slice(colon + 1);
  if (kind === 'account') return { kind, email: rest, address: null };
  if (kind === 'address') return { kind, email: null, address: rest };
  const space = rest.indexOf(' ');
  if (kind === 'pair' && space > 0) return { kind, address: rest.slice(0, space), email: rest.slice(space + 1) };
  return null;
}
