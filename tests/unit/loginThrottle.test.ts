import { describe, expect, it } from 'vitest';
import { LoginThrottle, MemoryThrottleStore, type ThrottleStore } from '../../server/auth/loginThrottle';
import { createLogger } from '../../server/log';
import { throttleStoreContract } from '../contract/throttleStore.contract';

const quiet = createLogger('silent');
const T0 = 1_800_000_000_000;
const MINUTE = 60_000;

/** A throttle allowing 3 free failures per email and address (15 per address, 15 per account). */
const throttle = (store: ThrottleStore = new MemoryThrottleStore()) => new LoginThrottle(store, 3, quiet);

describe('login throttle', () => {
  it('delays one address guessing one account by growing steps after the free failures, up to 15 minutes', async () => {
    const t = throttle();
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      const at = T0 + i;
      await t.fail('b@clinic.test', '10.0.0.1', at);
      waits.push(await t.retryAfterSeconds('b@clinic.test', '10.0.0.1', at));
    }
    expect(waits.slice(0, 6)).toEqual([0, 0, 1, 2, 4, 8]);
    expect(waits.at(-1)).toBe(15 * 60);
    // Once the delay has run, the right password may be tried again: a delay, not a lockout.
    expect(await t.retryAfterSeconds('b@clinic.test', '10.0.0.1', T0 + 13 + 15 * MINUTE)).toBe(0);
  });

  it('does not delay the account’s owner at another address for a guesser’s failures', async () => {
    const t = throttle();
    for (let i = 0; i < 10; i++) await t.fail('b@clinic.test', '203.0.113.9', T0 + i);
    expect(await t.retryAfterSeconds('b@clinic.test', '203.0.113.9', T0 + 10)).toBeGreaterThan(0);
    expect(await t.retryAfterSeconds('b@clinic.test', '10.0.0.2', T0 + 10)).toBe(0);
  });

  it('slows a clinic behind one address after many failures, but never for more than a minute', async () => {
    const t = throttle();
    for (let i = 0; i < 200; i++) await t.fail(`person${i}@clinic.test`, '192.0.2.1', T0 + i);
    const wait = await t.retryAfterSeconds('someone.else@clinic.test', '192.0.2.1', T0 + 200);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it('slows guessing of one account spread over many addresses, a minute at most', async () => {
    const t = throttle();
    for (let i = 0; i < 200; i++) await t.fail('b@clinic.test', `198.51.100.${i}`, T0 + i);
    const wait = await t.retryAfterSeconds('b@clinic.test', '10.0.0.2', T0 + 200);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
  });

  it('forgets an address’s failures for the account after a successful login, and all of them 15 minutes after the last', async () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) await t.fail('b@clinic.test', '10.0.0.1', T0);
    await t.succeed('b@clinic.test', '10.0.0.1');
    await t.fail('b@clinic.test', '10.0.0.1', T0 + 1);
    expect(await t.retryAfterSeconds('b@clinic.test', '10.0.0.1', T0 + 1)).toBe(0);
    const u = throttle();
    for (let i = 0; i < 5; i++) await u.fail('c@clinic.test', '10.0.0.1', T0);
    await u.fail('c@clinic.test', '10.0.0.1', T0 + 15 * MINUTE + 1);
    expect(await u.retryAfterSeconds('c@clinic.test', '10.0.0.1', T0 + 15 * MINUTE + 1)).toBe(0);
  });

  it('lists what it counts for the admin, who can clear one count', async () => {
    const t = throttle();
    for (let i = 0; i < 4; i++) await t.fail('b@clinic.test', '10.0.0.1');
    const list = await t.list();
    expect(list.map((v) => v.kind).sort()).toEqual(['account', 'address', 'pair']);
    const pair = list.find((v) => v.kind === 'pair')!;
    expect(pair).toMatchObject({ email: 'b@clinic.test', address: '10.0.0.1', failures: 4 });
    expect(pair.retryAfterSeconds).toBeGreaterThan(0);
    expect(await t.clear(pair.id)).toBe(true);
    expect(await t.clear(pair.id)).toBe(false);
    expect(await t.clear('nonsense')).toBe(false);
    expect(await t.retryAfterSeconds('b@clinic.test', '10.0.0.1')).toBe(0);
  });

  it('lets logins through when its store fails, rather than locking the clinic out', async () => {
    const broken: ThrottleStore = {
      get: () => Promise.reject(new Error('redis down')),
      fail: () => Promise.reject(new Error('redis down')),
      clear: () => Promise.reject(new Error('redis down')),
      list: () => Promise.reject(new Error('redis down')),
      close: async () => {},
    };
    const t = throttle(broken);
    await t.fail('b@clinic.test', '10.0.0.1');
    expect(await t.retryAfterSeconds('b@clinic.test', '10.0.0.1')).toBe(0);
  });
});

throttleStoreContract('memory', async () => new MemoryThrottleStore());
