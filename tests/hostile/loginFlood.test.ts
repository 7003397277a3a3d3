/**
 * Parallel logins (attack, 6 Dec): 1,000 wrong passwords sent at once from one address queued
 * 1,000 password derivations on libuv's thread pool; a correct login from another address waited
 * 182 s behind them, /healthz up to 7 s, and the throttle had counted none of the guesses yet.
 * Every derivation now goes through PasswordWork: an address holds two places at most, and past
 * 64 waiting a login is told to come back. The flood's account lookups answer once all of them
 * have arrived, so they ask for a password check together, as on a machine slower than the flood.
 */
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { PASSWORD_WORK_LIMITS } from '../../server/auth/passwordWork';
import { startClinic } from '../helpers/clinic';
import { metricValue } from '../helpers/metrics';

interface Answer {
  status: number;
  code: string | undefined;
  retryAfter: string | undefined;
}

describe('logins sent at once', async () => {
  /** Lookups of `email` answer once `count` of them have arrived. */
  let held: { email: string; count: number; arrived: number; release(): void; together: Promise<void> } | null = null;
  const holdTogether = (email: string, count: number) => {
    let release = () => {};
    const together = new Promise<void>((resolve) => (release = resolve));
    held = { email, count, arrived: 0, release, together };
  };
  const { server, clinic } = await startClinic({
    decorateStore: (store) => ({
      ...store,
      accounts: {
        ...store.accounts,
        byEmail: async (email) => {
          const account = await store.accounts.byEmail(email);
          // Held once read: what follows up to the password check is then one run of microtasks.
          const h = held;
          if (h && email === h.email) {
            if (++h.arrived === h.count) h.release();
            await h.together;
          }
          return account;
        },
      },
    }),
  });
  const { port } = new URL(server.baseUrl);

  /** A login sent from `localAddress` (any address of 127.0.0.0/8 reaches the server's 127.0.0.1). */
  function loginFrom(localAddress: string, email: string, password: string): Promise<Answer> {
    const body = JSON.stringify({ email, password });
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/auth/login', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: server.baseUrl } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code, retryAfter: res.headers['retry-after'] }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('checks two passwords of one address at a time and refuses the rest at once, and a login from elsewhere goes through', async () => {
    const flood = 30;
    holdTogether('nobody@flood.test', flood);
    const answers = await Promise.all(Array.from({ length: flood }, () => loginFrom('127.0.0.2', 'nobody@flood.test', 'guess')));
    expect(answers.filter((a) => a.status === 401 && a.code === 'bad_credentials')).toHaveLength(PASSWORD_WORK_LIMITS.perAddress);
    const refused = answers.filter((a) => a.status === 429 && a.code === 'too_many_attempts');
    expect(refused).toHaveLength(flood - PASSWORD_WORK_LIMITS.perAddress);
    expect(refused.every((a) => a.retryAfter === '1')).toBe(true);
    expect(await metricValue(server.baseUrl, 'tandem_password_checks_refused_total{reason="address"}')).toBe(flood - PASSWORD_WORK_LIMITS.perAddress);
    expect((await loginFrom('127.0.0.3', clinic.a.email, clinic.a.password)).status).toBe(200);
  });

  it('tells logins past the waiting places to come back, from however many addresses, and checks the rest', async () => {
    const places = PASSWORD_WORK_LIMITS.running + PASSWORD_WORK_LIMITS.waiting;
    const logins = places + 6;
    holdTogether(clinic.b.email, logins);
    const answers = await Promise.all(Array.from({ length: logins }, (_, i) => loginFrom(`127.0.1.${i + 1}`, clinic.b.email, clinic.b.password)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(places);
    expect(answers.filter((a) => a.status === 503 && a.code === 'logins_busy')).toHaveLength(logins - places);
    expect(await metricValue(server.baseUrl, 'tandem_password_checks_refused_total{reason="busy"}')).toBe(logins - places);
    expect(await metricValue(server.baseUrl, 'tandem_password_checks_waiting')).toBe(0);
  });
});
