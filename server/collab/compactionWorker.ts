/** Worker thread entry: folds a note's log for compaction (see compaction.ts) off the event loop. */
import { serveThread } from '../threads/serveThread';
import { foldLog, type Folded, type FoldInput } from './compaction';

serveThread<FoldInput, Folded>(async (input) => foldLog(input));
