import { describe, expect, it } from 'vitest';
import type { ThrottleStore } from '../../server/auth/loginThrottle';
import { deferCleanup } from '../helpers/services';

/**
 * What every store of failed-login counts must do. `open` returns a new handle on the same
 * counts each time (two handles stand for two server processes, where the store is `shared`).
 */
export function throttleStoreContract(name: string, open: () => Promise<ThrottleStore>, shared = false): void {
  describe(`${name} login-throttle store`, () => {
    const handle = async () => {
      const store = await open();
      deferCleanup(() => store.close());
      return store;
    };
    const key = () => `pair:10.0.0.1 ${Math.random().toString(36).slice(2)}@clinic.test`;

    it('counts failures atomically, even when they arrive together', async () => {
      const store = await handle();
      const k = key();
      const now = Date.now();
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.fail(k, now + i, 60_000)));
      expect(await store.get(k)).toMatchObject({ failures: 20 });
      expect(await store.get(key())).toBeNull();
    });

    it('lists and clears counts', async () => {
      const store = await handle();
      const k = key();
      await store.fail(k, Date.now(), 60_000);
      expect((await store.list()).find(([listed]) => listed === k)?.[1]).toMatchObject({ failures: 1 });
      await store.clear(k);
      expect(await store.get(k)).toBeNull();
      expect((await store.list()).some(([listed]) => listed === k)).toBe(false);
    });

    if (!shared) return;

    it('shares the counts between processes', async () => {
      const [one, two] = [await handle(), await handle()];
      const k = key();
      await one.fail(k, Date.now(), 60_000);
      await two.fail(k, Date.now(), 60_000);
      expect(await one.get(k)).toMatchObject({ failures: 2 });
      await two.clear(k);
      expect(await one.get(k)).toBeNull();
    });

    it('forgets a count when its time to live runs out', async () => {
      const store = await handle();
      const k = key();
      await store.fail(k, Date.now(), 50);
      await expect.poll(() => store.get(k)).toBeNull();
    });
  });
}
