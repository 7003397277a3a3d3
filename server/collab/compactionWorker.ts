/** Worker thread entry: folds a note's log for compaction (see compaction.ts) off the event loop. */
import { runInBackground, serveThread } from '../threads/serveThread';
import { foldLog, type Folded, type FoldInput } from './compaction';
import { KeptFolds } from './keptFolds';

runInBackground();
const kept = new KeptFolds();
serveThread<FoldInput, Folded>(async (input) => foldLog(input, kept));
