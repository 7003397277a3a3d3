import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Where scripts/buildServer.mjs puts the compiled server (main.js) and its worker bundles. */
export const serverBuildDir = path.join(root, 'dist/server');

/** Compiles the server into `serverBuildDir` when it is missing or stale (as `npm start` does). */
export function ensureServerBuilt(): void {
  const result = spawnSync(process.execPath, [path.join(root, 'scripts/buildServer.mjs'), '--quiet'], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`building the server failed:\n${result.stdout}\n${result.stderr}`);
}
