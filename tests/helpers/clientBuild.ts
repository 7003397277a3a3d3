import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const builtIndex = path.join(root, 'dist/client/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the web client into dist/client when it is missing or older than its sources or build config. */
export function ensureClientBuilt(): void {
  const sources = Math.max(newestMtime(path.join(root, 'client')), newestMtime(path.join(root, 'shared')), fs.statSync(path.join(root, 'vite.config.ts')).mtimeMs);
  if (fs.existsSync(builtIndex) && fs.statSync(builtIndex).mtimeMs >= sources) return;
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the client failed:\n${result.stdout}\n${result.stderr}`);
}
