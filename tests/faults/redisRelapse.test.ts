import { afterEach, expect, it, vi } from 'vitest';
import { OutageRecovery } from '../../server/fanout/outageRecovery';
import { createLogger } from '../../server/log';

afterEach(() => {
  vi.useRealTimers();
});

/** A recovery whose every check passes; `catchUp` is what happens once an outage is over. */
function recoveryWith(catchUp: (recovery: OutageRecovery) => void) {
  const told: boolean[] = [];
  const recovery: OutageRecovery = new OutageRecovery({
    log: createLogger('silent'),
    connected: () => true,
    resubscribe: async () => {},
    publishes: async () => {},
    answersNow: async () => true,
    catchUp: async () => catchUp(recovery),
    subscribed: () => 1,
  });
  recovery.onChange((interrupted) => told.push(interrupted));
  return { recovery, told };
}

// Operator fault test, 6 Dec: Redis refused publishes while answering PING and SUBSCRIBE; each
// recovery passed its checks and the catch-up's first publish failed at once, so outage and
// recovery took turns ten times a second (106 error lines and 211 page notices in 10 s). The
// recovery now checks a publish (redisRefuses.test.ts); this is the kind: a recovery that fails
// at its first real use, whatever the cause, is retried with a growing wait.
it('an outage that comes back as soon as it is recovered from is retried with a growing wait, not at once', async () => {
  vi.useFakeTimers();
  // The first publish of the catch-up fails: a new outage, the moment the last one ended.
  const { recovery, told } = recoveryWith((r) => r.noteOutage('publisher', new Error('NOPERM')));
  recovery.noteOutage('publisher', new Error('NOPERM'));
  await vi.advanceTimersByTimeAsync(10_000);
  const outages = told.filter(Boolean).length;
  // Backoff from 0.1 s doubling to 5 s: a handful in 10 s (at once after each recovery: 100 or more).
  expect(outages).toBeGreaterThan(1);
  expect(outages).toBeLessThan(15);
  recovery.stop();
});

it('an outage long after the last one starts again from the shortest wait', async () => {
  vi.useFakeTimers();
  let relapse = true;
  const { recovery } = recoveryWith((r) => relapse && r.noteOutage('publisher'));
  recovery.noteOutage('publisher');
  await vi.advanceTimersByTimeAsync(10_000);
  relapse = false;
  await vi.advanceTimersByTimeAsync(10_000);
  expect(recovery.interrupted).toBe(false);
  await vi.advanceTimersByTimeAsync(10_000);
  // Steady for seconds: the next outage is recovered from after the first wait (0.1 s at most).
  recovery.noteOutage('subscriber');
  await vi.advanceTimersByTimeAsync(100);
  expect(recovery.interrupted).toBe(false);
  recovery.stop();
});
