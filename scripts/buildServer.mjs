// Compiles the server into plain JavaScript under dist/server when it is missing or older than its
// sources: one bundle for server/main.ts and one for each worker thread's entry (server/**/*Worker.ts),
// side by side, which is where server/threads/workerEntry.ts looks for them, with the code they
// share and what the server imports only when configured (Redis, PostgreSQL) in chunks beside them.
// Packages stay in node_modules (native ones like better-sqlite3 cannot be bundled). `npm start` and the tests call it;
// `npm run dev` keeps running the TypeScript through tsx.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
export const serverOutDir = path.join(root, 'dist/server');
const stamp = path.join(serverOutDir, 'main.js');
const sourceDirs = ['server', 'shared'].map((d) => path.join(root, d));
const inputs = [fileURLToPath(import.meta.url), path.join(root, 'package-lock.json'), path.join(root, 'tsconfig.json')];

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = path.join(dir, entry.name);
    return entry.isDirectory() ? files(p) : [p];
  });
}

/** The worker entries by bundle name; names must be unique since the bundles sit in one folder. */
function workerEntries() {
  const entries = {};
  for (const file of files(path.join(root, 'server')).filter((f) => /Worker\.ts$/.test(f))) {
    const name = path.basename(file, '.ts');
    if (entries[name]) throw new Error(`two worker entries are named ${name}: ${entries[name]} and ${file}`);
    entries[name] = file;
  }
  return entries;
}

function isStale() {
  if (!fs.existsSync(stamp)) return true;
  const built = fs.statSync(stamp).mtimeMs;
  const newest = Math.max(...sourceDirs.flatMap(files).concat(inputs).map((f) => fs.statSync(f).mtimeMs));
  return newest > built;
}

/**
 * Builds when stale (or always with `force`); resolves to 0, or 1 after printing why the build
 * failed. main.js is written last of all, so a build cut off half way is still stale.
 */
export async function ensureServerBuilt({ quiet = false, force = false } = {}) {
  if (!force && !isStale()) return 0;
  if (!quiet) console.log('Building the server…');
  try {
    fs.rmSync(serverOutDir, { recursive: true, force: true });
    const { outputFiles } = await build({
      entryPoints: { main: path.join(root, 'server/main.ts'), ...workerEntries() },
      outdir: serverOutDir,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      // Kept apart, a dynamic import stays one: in a single bundle its static imports were hoisted,
      // and every start loaded ioredis and pg (a tenth of the CPU a SQLite server's start took, 7 Dec).
      splitting: true,
      target: 'node20',
      // Stack traces in logs point at the TypeScript; the maps stay on the server (never served).
      sourcemap: true,
      logLevel: quiet ? 'error' : 'warning',
      write: false,
    });
    fs.mkdirSync(serverOutDir, { recursive: true });
    const last = (f) => (f.path === stamp ? 1 : 0);
    for (const file of outputFiles.sort((a, b) => last(a) - last(b))) fs.writeFileSync(file.path, file.contents);
    return 0;
  } catch (err) {
    // esbuild has already printed the errors it found; anything else is said here.
    if (!(err instanceof Error && 'errors' in err)) console.error(err);
    fs.rmSync(serverOutDir, { recursive: true, force: true });
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(await ensureServerBuilt({ quiet: process.argv.includes('--quiet'), force: process.argv.includes('--force') }));
}
