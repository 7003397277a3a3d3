/**
 * Every server under test runs as plain JavaScript, as it would in production: tandem as
 * `npm start` runs it (scripts/buildServer.mjs), the peers' launchers and the probe compiled here
 * with esbuild (packages stay in node_modules). Run through tsx instead, each process carried the
 * TypeScript compiler, and tandem's worker threads each booted it again (RSS at idle 180 MB
 * against 96 MB compiled), which no deployment does.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const OUT_DIR = path.join(ROOT, 'dist', 'bench');

/**
 * What this run already built, by source: servers start anew for every step, and their sources do
 * not change during a run, so each is built (or found current) once.
 */
const built = new Map<string, string>();
const once = (key: string, build: () => string): string => {
  let out = built.get(key);
  if (out === undefined) {
    out = build();
    built.set(key, out);
  }
  return out;
};

/** Compiled entry of tandem's server; builds it first when its sources changed. */
export const compiledTandem = (): string =>
  once('tandem', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'buildServer.mjs'), '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building the server failed:\n${result.stdout}\n${result.stderr}`);
    return path.join(ROOT, 'dist', 'server', 'main.js');
  });

/** Compiles `bench/<source>.ts` (a launcher or the probe) to one ES module; returns its path. */
export const compiledBenchEntry = (source: string): string => once(source, () => compileBenchEntry(source));

function compileBenchEntry(source: string): string {
  const outfile = path.join(OUT_DIR, `${path.basename(source)}.mjs`);
  buildSync({
    entryPoints: [path.join(ROOT, 'bench', `${source}.ts`)],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return outfile;
}
