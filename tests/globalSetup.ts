import { ensureClientBuilt } from './helpers/clientBuild';
import { ensureServerBuilt } from './helpers/serverBuild';

/**
 * Runs once before all test files: browser tests need the built client, spawned servers and the
 * worker threads of in-process ones the compiled server (tests/setupCompiledWorkers.ts), and
 * parallel builds would collide.
 */
export default function setup(): void {
  ensureClientBuilt();
  ensureServerBuilt();
}
