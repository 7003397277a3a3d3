import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * How a worker thread loads its entry: `compiled` runs a plain JavaScript file; `tsx` imports the
 * TypeScript source through tsx's API (Node 20 does not carry a `--import` loader into threads).
 */
export type WorkerStart = { kind: 'compiled' | 'tsx'; url: URL };

/**
 * Folder of compiled worker bundles that a server running from TypeScript should use instead of
 * booting tsx in every thread (seconds each under load); null: boot tsx. Set by `runWorkersFrom`.
 */
let compiledDir: string | null = null;

/**
 * Makes servers in this process that run from TypeScript start their threads from the bundles in
 * `dir` (scripts/buildServer.mjs's output, which the caller has made current). For tests, whose
 * in-process servers run the source under vitest; `npm run dev` keeps tsx so edits apply.
 */
export function runWorkersFrom(dir: string): void {
  compiledDir = dir;
}

/**
 * Where the thread whose TypeScript entry is `source` (e.g. …/collab/compactionWorker.ts) starts.
 * Compiled, the server is one bundle beside one per worker entry, named after the entry's file, and
 * the chunks they share (scripts/buildServer.mjs); this module then sits in that folder, so its own
 * URL says which mode runs.
 */
export function workerStart(source: URL): WorkerStart {
  const name = `${path.basename(fileURLToPath(source), '.ts')}.js`;
  if (!import.meta.url.endsWith('.ts')) return { kind: 'compiled', url: new URL(`./${name}`, import.meta.url) };
  if (compiledDir !== null) return { kind: 'compiled', url: pathToFileURL(path.join(compiledDir, name)) };
  return { kind: 'tsx', url: source };
}
