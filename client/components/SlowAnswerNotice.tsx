import { SLOW_ANSWER_MS, useSlowAnswers } from '../api/slowAnswers';

/**
 * Says that the server is slow to answer what the person asked, while it is (api/slowAnswers.ts):
 * a change is still on its way, not lost and not to be asked again.
 */
export function SlowAnswerNotice() {
  const slow = useSlowAnswers();
  if (!slow) return null;
  const seconds = Math.round(SLOW_ANSWER_MS / 1000);
  return (
    <div className="notice notice--warning slow-answer-notice" role="status" data-testid="slow-answer-notice">
      <strong>The server is slow to answer (over {seconds} s).</strong>{' '}
      {slow.change
        ? 'What you asked is on its way: keep this page open and do not ask again. The page says when it is done, or what went wrong.'
        : 'The page is still loading; it shows what it gets as soon as it comes.'}
    </div>
  );
}
