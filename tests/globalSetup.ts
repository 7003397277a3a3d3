import { ensureClientBuilt } from './helpers/clientBuild';

/** Runs once before all test files: browser tests need the built client, and parallel builds would collide. */
export default function setup(): void {
  ensureClientBuilt();
}
