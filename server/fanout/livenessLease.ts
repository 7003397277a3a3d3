import type { Logger } from '../log';
import { OutageLog } from '../ops/outageLog';
import type { LeaseStore } from '../persistence/ports';

/**
 * How long a process's liveness lease lasts past its last renewal (ms): a killed process is known
 * for dead this long after it died at most. Five renewals, so a store slow for a few seconds does
 * not let a live process's lease lapse.
 */
export const LEASE_MS = 10_000;
/** How often the lease is renewed (ms), less up to a fifth of it at random, so processes started together do not write together. */
const RENEW_EVERY_MS = 2_000;

/**
 * Renews this process's lease in the store (LeaseStore) until stopped, one renewal at a time: a
 * renewal that hangs (a silent link) is not joined by more. A failing renewal is said once per
 * outage; meanwhile the process may be taken for gone by the others only if Redis is lost too.
 */
export function keepLease(leases: LeaseStore, instanceId: string, log: Logger): { stop(): void } {
  const outage = new OutageLog(log, 'liveness lease renewed again');
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const renew = async () => {
    try {
      await leases.renew(instanceId, LEASE_MS);
      outage.worked();
    } catch (err) {
      outage.failed('liveness lease not renewed; if this process also loses Redis, the others take it for gone once it lapses', err);
    }
    if (stopped) return;
    timer = setTimeout(() => void renew(), RENEW_EVERY_MS * (0.8 + 0.2 * Math.random()));
    timer.unref();
  };
  void renew();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
