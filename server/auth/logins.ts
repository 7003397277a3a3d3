import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../log';
import type { AccountRecord, AtomicWrite, Store } from '../persistence/ports';

export const SESSION_COOKIE = 'tandem_session';

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

export interface Authenticated {
  account: AccountRecord;
  /** Hash of the cookie token: identifies this login without being usable as a cookie. */
  loginId: string;
}

/**
 * Server-side logins: a random cookie token whose hash is stored with its account, creation and
 * last-use times. Ends after `idleMs` without use or `absoluteMs` after creation, whichever first.
 */
export class LoginService {
  constructor(
    private readonly store: Store,
    private readonly idleMs: number,
    private readonly absoluteMs: number,
    private readonly log: Logger,
  ) {}

  /**
   * A new login of the account: its cookie token, and the write that stores it, for the caller's
   * unit of work (`Store.commit`) with its audit record: a login nobody recorded never starts.
   */
  issue(accountId: string, now = Date.now()): { token: string; write: Extract<AtomicWrite, { kind: 'startLogin' }> } {
    const token = randomBytes(32).toString('base64url');
    return { token, write: { kind: 'startLogin', login: { tokenHash: hashToken(token), accountId, createdAt: now, lastSeenAt: now } } };
  }

  /** Resolves a cookie token to its live login, refreshing its idle clock; null when not valid. */
  resolve(token: string | undefined, now = Date.now()): Promise<Authenticated | null> {
    return this.lookup(token, now, true);
  }

  /**
   * The same without refreshing the idle clock, for websocket upgrades: a client reconnects by
   * itself (after a network blip, a server restart), and that must not keep an unattended login
   * alive. Typing and moving the cursor count as use instead (see services/loginWatch.ts).
   */
  check(token: string | undefined, now = Date.now()): Promise<Authenticated | null> {
    return this.lookup(token, now, false);
  }

  private async lookup(token: string | undefined, now: number, isUse: boolean): Promise<Authenticated | null> {
    if (!token || token.length > 100) return null;
    const loginId = hashToken(token);
    const login = await this.store.logins.get(loginId);
    if (!login) return null;
    if (this.isExpired(login.lastSeenAt, login.createdAt, now)) {
      // Tidying only (the login sweep purges it too): the answer is "not logged in" either way.
      await this.store.logins.delete(loginId).catch(() => undefined);
      return null;
    }
    const account = await this.store.accounts.byId(login.accountId);
    if (!account?.active) return null;
    // Touch at most every few seconds: every request need not be a write.
    if (isUse && now - login.lastSeenAt > 5_000) {
      // Bookkeeping, not the request's purpose: while storage refuses writes, reading goes on.
      await this.store.logins.touch(loginId, now).catch((err: unknown) => {
        this.log.warn('login activity could not be stored', { accountId: account.id, err });
      });
    }
    return { account, loginId };
  }

  isExpired(lastSeenAt: number, createdAt: number, now = Date.now()): boolean {
    return now - lastSeenAt > this.idleMs || now - createdAt > this.absoluteMs;
  }

  async end(loginId: string): Promise<void> {
    await this.store.logins.delete(loginId);
  }

  async purgeExpired(now = Date.now()): Promise<number> {
    return this.store.logins.purge(now - this.idleMs, now - this.absoluteMs);
  }
}
