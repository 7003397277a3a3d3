import { runWorkersFrom } from '../server/threads/workerEntry';
import { serverBuildDir } from './helpers/serverBuild';

// In-process test servers run their TypeScript under vitest; their threads (log writer, compaction,
// PDF) start from the bundles tests/globalSetup.ts keeps current instead of booting tsx each
// (seconds apiece when the cores are busy).
runWorkersFrom(serverBuildDir);
