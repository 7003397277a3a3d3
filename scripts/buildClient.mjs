// Builds the web client into dist/client when it is missing or older than its sources or build
// config. `npm start` calls it, and the tests run it once (`node scripts/buildClient.mjs`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist/client/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function isStale() {
  if (!fs.existsSync(built)) return true;
  const sources = Math.max(newestMtime(path.join(root, 'client')), newestMtime(path.join(root, 'shared')), fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs);
  return sources > fs.statSync(built).mtimeMs;
}

/**
 * Builds when stale; returns the build's exit status (0 when nothing needed doing).
 * NODE_ENV is set to production whatever the caller's is: under vitest it is `test`, and Vite
 * would then ship React's development build (several times slower) to every browser.
 */
export function ensureClientBuilt({ quiet = false } = {}) {
  if (!isStale()) return 0;
  if (!quiet) console.log('Building the web client…');
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', quiet ? 'warn' : 'info'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(ensureClientBuilt({ quiet: process.argv.includes('--quiet') }));
