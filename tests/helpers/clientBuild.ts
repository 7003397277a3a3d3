import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Builds the web client into dist/client when it is missing or stale (scripts/buildClient.mjs, as `npm start` does). */
export function ensureClientBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/buildClient.mjs'), '--quiet'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the client failed:\n${result.stdout}\n${result.stderr}`);
}
