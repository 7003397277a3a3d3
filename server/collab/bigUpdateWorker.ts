/** Worker thread entry: judges big client updates (see bigUpdate.ts) off the event loop. */
import { serveThread } from '../threads/serveThread';
import { judgeBigUpdate, type BigUpdateInput, type BigUpdateJudgement } from './bigUpdate';

// Not `runInBackground`: the paste's sender waits for this judgement to see its text saved.
serveThread<BigUpdateInput, BigUpdateJudgement>(async (input) => judgeBigUpdate(input));
