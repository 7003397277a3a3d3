/**
 * What failed logins are counted under: one email from one address (`pair`), one address over all
 * emails, one email from all addresses.
 */
export type LoginThrottleKind = 'pair' | 'address' | 'account';

/** One count of failed logins, as the admin sees it (`GET /api/login-throttles`). */
export interface LoginThrottleView {
  /** Stable id of the count, to clear it with `DELETE /api/login-throttles/:id`. */
  id: string;
  kind: LoginThrottleKind;
  email: string | null;
  address: string | null;
  failures: number;
  lastFailureAt: string;
  /** How long logins under this count must wait now (0: not delayed). */
  retryAfterSeconds: number;
}
