/** Worker thread entry: judges big client updates (see bigUpdate.ts) off the event loop. */
import { runInBackground, serveThread } from '../threads/serveThread';
import { judgeBigUpdate, type BigUpdateInput, type BigUpdateJudgement } from './bigUpdate';

// In the background: on one core, a judgement at the event loop's priority took half of it for
// 0.6 s, and every other note's keystrokes stalled up to 100 ms (paste bench). The paste's own
// sender waits a little longer instead; the thread still has the core whenever the loop is idle.
runInBackground();
serveThread<BigUpdateInput, BigUpdateJudgement>(async (input) => judgeBigUpdate(input));
