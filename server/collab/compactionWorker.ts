/** Worker thread entry: folds a note's log for compaction (see compaction.ts) off the event loop. */
import { runInBackground, serveThread } from '../threads/serveThread';
import { foldLog, type Folded, type FoldInput } from './compaction';

runInBackground();
serveThread<FoldInput, Folded>(async (input) => foldLog(input));
