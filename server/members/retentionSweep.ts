import { Counter, Gauge, type Registry } from 'prom-client';
import { expireProcessNotes, type ExpiryOutcome } from './processNotes';

type SweepDeps = Parameters<typeof expireProcessNotes>[0];

/** How often process notes past their retention are looked for, after the sweep at start. */
export const RETENTION_SWEEP_EVERY_MS = 3_600_000;

/** The process notes' retention sweep of one server. */
export interface RetentionSweep {
  /**
   * Sweeps now, after any sweep still running (`now`: the time notes are judged against). Never
   * rejects: a failure is logged and counted, and the next sweep tries again.
   */
  run(now?: number): Promise<ExpiryOutcome>;
  stop(): void;
}

/**
 * Removes process notes past their retention at start and every `everyMs`, and tells the operator
 * what it could not: `tandem_process_note_removals_failed_total{step}` counts notes whose removal
 * failed (`remove`) and sweeps that could not list the due notes (`list`);
 * `tandem_process_notes_overdue` is how many the last sweep found due and left in place. A tick
 * while a sweep still runs (storage slow) is skipped, so sweeps never pile up.
 */
export function startRetentionSweep(deps: SweepDeps, registry: Registry, everyMs = RETENTION_SWEEP_EVERY_MS): RetentionSweep {
  const failed = new Counter({
    name: 'tandem_process_note_removals_failed_total', help: 'Process notes past their retention whose removal failed (step="remove"; retried at the next sweep), and sweeps that could not list them (step="list").',
    labelNames: ['step'] as const, registers: [registry],
  });
  // Both series from the start, so an alert on them has something to read before the first failure.
  for (const step of ['remove', 'list'] as const) failed.inc({ step }, 0);
  const overdue = new Gauge({ name: 'tandem_process_notes_overdue', help: 'Process notes past their retention that the last sweep found and could not remove.', registers: [registry] });
  let queue: Promise<unknown> = Promise.resolve();
  let busy = false;
  const sweep = async (now: number): Promise<ExpiryOutcome> => {
    try {
      const outcome = await expireProcessNotes(deps, now);
      failed.inc({ step: 'remove' }, outcome.failed);
      overdue.set(outcome.failed);
      return outcome;
    } catch (err) {
      failed.inc({ step: 'list' });
      deps.log.error('listing process notes past their retention failed; the next sweep tries again', { err });
      return { removed: 0, failed: 0 };
    }
  };
  const run = (now?: number): Promise<ExpiryOutcome> => {
    const next = queue.then(() => {
      busy = true;
      return sweep(now ?? Date.now());
    }).finally(() => {
      busy = false;
    });
    queue = next;
    return next;
  };
  const timer = setInterval(() => busy || void run(), everyMs);
  timer.unref();
  void run();
  return { run, stop: () => clearInterval(timer) };
}
