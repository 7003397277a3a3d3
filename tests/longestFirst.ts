import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * What one test file of each folder takes, in seconds, before vitest has timed it: the sum of the
 * folder's files' own times in a whole `npm test` (3 workers on 2 cores, 6 Dec, issue #18) over
 * their number. Browser files drive pages, fault files start server processes and outages; unit,
 * contract and jsdom files compute for a moment.
 */
const SECONDS_BY_FOLDER: Record<string, number> = { e2e: 14, faults: 7, scaleout: 4, hostile: 4, integration: 3, contract: 1, unit: 0.5, client: 0.5 };

/**
 * Runs the test files longest first, so that the run ends on short files instead of one worker
 * finishing a long one alone. Vitest does this by itself from the times it kept of an earlier run
 * (node_modules/.vite/vitest), and with none (a fresh clone, CI) runs the largest files first: the
 * kill -9 rounds, a dozen lines each that start a server process ten times, ran last of 289
 * (faults/killRestart.test.ts and killRestartPostgres.test.ts, 25–50 s each). A file vitest has not
 * timed is taken to last as long as a typical file of its folder; ties go to the larger file.
 */
export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const facts = new Map(
      files.map((spec) => {
        const key = `${spec.project.name}:${path.relative(root, spec.moduleId)}`;
        const folder = path.relative(path.join(root, 'tests'), spec.moduleId).split(path.sep)[0] ?? '';
        const ms = this.ctx.cache.getFileTestResults(key)?.duration ?? (SECONDS_BY_FOLDER[folder] ?? 1) * 1000;
        return [spec, { ms, size: this.ctx.cache.getFileStats(key)?.size ?? 0 }] as const;
      }),
    );
    const of = (spec: TestSpecification) => facts.get(spec) ?? { ms: 0, size: 0 };
    // Each project's files together, as vitest keeps them: a worker goes on to the next file only
    // when it is of its own project, and is replaced otherwise (its Chromium and loaded modules lost).
    const byProject = (a: TestSpecification, b: TestSpecification) => (a.project.name === b.project.name ? 0 : a.project.name < b.project.name ? -1 : 1);
    return [...files].sort((a, b) => byProject(a, b) || of(b).ms - of(a).ms || of(b).size - of(a).size);
  }
}
