import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The folders whose files each take 5–50 s (a browser, server processes killed and started again)
 * against well under a second for most others.
 */
const SLOW = ['/tests/e2e/', '/tests/faults/', '/tests/scaleout/', '/tests/bench.smoke'];

/**
 * Starts the slow files first, so the two workers end together. Vitest orders by the last run's
 * durations when it has them and by file size otherwise (a fresh clone, as in CI), where a small
 * file that restarts a server twice ran last, alone: 20 s at the end of a 369 s run.
 */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (f: TestSpecification) => SLOW.some((part) => f.moduleId.includes(part));
    return [...sorted.filter(slow), ...sorted.filter((f) => !slow(f))];
  }
}
