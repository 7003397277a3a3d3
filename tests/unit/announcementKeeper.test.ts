import { describe, expect, it } from 'vitest';
import { AnnouncementKeeper } from '../../server/collab/announcementKeeper';
import { createLogger } from '../../server/log';

/** A storage port whose first `failures` calls fail as a full disk would; the rest are kept in order. */
function storage(failures: number) {
  const kept: number[] = [];
  const calls = { n: 0 };
  const store = {
    announce: async (_sessionId: string, clientId: number) => {
      calls.n += 1;
      if (calls.n <= failures) throw new Error('database or disk is full');
      kept.push(clientId);
    },
  };
  return { store, kept, calls };
}

const quiet = createLogger('error', () => undefined);

// Attack (5 Dec): each announcement storage refused was retried on its own, and an account's 1,000
// ids made ~90 tries a second of an outage. They now wait behind the one being tried again.
describe('the keeper of a note’s presence announcements', () => {
  it('tries one again with backoff while the others wait, then keeps them all in order', async () => {
    const { store, kept, calls } = storage(2);
    const keeper = new AnnouncementKeeper('s', { store, log: quiet });
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    for (const id of ids) keeper.add(id, 'b', 0);
    await expect.poll(() => kept.length, { timeout: 20_000 }).toBe(200);
    expect(kept).toEqual(ids);
    expect(calls.n).toBe(202);
  });

  it('once stopped, tries what waits once more, at once, and never again', async () => {
    const { store, kept, calls } = storage(1);
    const keeper = new AnnouncementKeeper('s', { store, log: quiet });
    for (const id of [1, 2, 3]) keeper.add(id, 'b', 0);
    await expect.poll(() => calls.n).toBe(1);
    keeper.stop();
    await expect.poll(() => kept.length).toBe(3);
    keeper.add(4, 'b', 0);
    expect(calls.n).toBe(4);
    expect(kept.sort()).toEqual([1, 2, 3]);
  });
});
