import { describe, expect, it } from 'vitest';
import type { CompactionLock } from '../../server/locks/CompactionLock';
import { deferCleanup } from '../helpers/services';

/**
 * What every compaction lock must do. `open` returns a new handle on the same locks each time
 * (two handles stand for two server processes, where the lock is shared between them).
 */
export function compactionLockContract(name: string, open: () => Promise<CompactionLock>): void {
  describe(`${name} compaction lock`, () => {
    const handle = async () => {
      const lock = await open();
      deferCleanup(() => lock.close());
      return lock;
    };
    const session = () => `s-${Math.random().toString(36).slice(2)}`;

    it('lets one process at a time compact a session', async () => {
      const [one, two] = [await handle(), await handle()];
      const id = session();
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let firstRan = false;
      const first = one.withLock(id, async () => {
        firstRan = true;
        await held;
      });
      await expect.poll(() => firstRan).toBe(true);
      let secondRan = false;
      await two.withLock(id, async () => {
        secondRan = true;
      });
      expect(secondRan).toBe(false);
      release();
      await first;
      await two.withLock(id, async () => {
        secondRan = true;
      });
      expect(secondRan).toBe(true);
    });

    it('holds each session apart', async () => {
      const [one, two] = [await handle(), await handle()];
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const first = one.withLock(session(), () => held);
      let otherRan = false;
      await two.withLock(session(), async () => {
        otherRan = true;
      });
      expect(otherRan).toBe(true);
      release();
      await first;
    });

    it('passes on the failure of what it ran, and frees the session for the next attempt', async () => {
      const [one, two] = [await handle(), await handle()];
      const id = session();
      await expect(one.withLock(id, () => Promise.reject(new Error('fold failed')))).rejects.toThrow('fold failed');
      let ran = false;
      await two.withLock(id, async () => {
        ran = true;
      });
      expect(ran).toBe(true);
    });
  });
}
