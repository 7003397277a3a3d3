import { useQuery } from '@tanstack/react-query';
import type { CommentView } from '../../../shared/domain/review';
import { fetchComments } from '../../api/review';
import { PageState } from '../../components/PageState';
import { keys } from '../../query/keys';
import { loadStateOf } from '../../query/loadState';
import { useStale } from '../../query/useStale';
import { CommentThread } from '../review/CommentThread';
import { threads } from '../review/commentThreads';
import { ThreadStatesProvider, useThreadStates } from './threadStates';
import './supervisor.css';

const anchorWords = (c: CommentView, quoteOf: (observationId: string) => string | null) =>
  c.anchor.type === 'passage' ? `“${c.anchor.quote}”` : `On the observation “${quoteOf(c.anchor.observationId) ?? 'no longer in the note'}”`;

/**
 * The editor's margin: the supervisor's comments on this note, how many and how many are open,
 * with reply and resolve; new comments and replies arrive live.
 */
export function CommentsMargin({ sessionId, me, canReply, quoteOf }: { sessionId: string; me: string; canReply: boolean; quoteOf(observationId: string): string | null }) {
  const state = loadStateOf(useQuery({ queryKey: keys.session(sessionId, 'comments'), queryFn: () => fetchComments(sessionId) }));
  const reload = useStale(keys.session(sessionId, 'comments'));
  const comments = state.status === 'ok' ? state.data : [];
  const all = threads(comments);
  return (
    <ThreadStatesProvider sessionId={sessionId} comments={comments} me={me}>
      <section className="panel comments-margin" aria-labelledby="margin-comments-title" data-testid="comments-margin">
        <h2 className="panel__title" id="margin-comments-title">
          Comments
          {/* No count until the comments are read: "0" above "Could not load" said there were none (walk, 6 Dec). */}
          {state.status === 'ok' && (
            <>
              {' '}
              <span className="comments-margin__count" data-testid="margin-comment-count">
                {comments.filter((c) => !c.deleted).length}
              </span>
            </>
          )}
          <OpenCount roots={all.map((t) => t.comment.id)} />
        </h2>
        {state.status !== 'ok' ? (
          <PageState state={state} onRetry={reload} what="the comments" />
        ) : all.length === 0 ? (
          <p className="muted panel__empty">No comments on this note yet.</p>
        ) : (
          <ol className="passage-threads">
            {all.map((t) => (
              <li key={t.comment.id} className="passage-thread">
                <p className="passage-thread__quote">{anchorWords(t.comment, quoteOf)}</p>
                <CommentThread sessionId={sessionId} thread={t} me={me} canReply={canReply} onChanged={reload} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </ThreadStatesProvider>
  );
}

/** "· 2 open" beside the count, from the thread states. */
function OpenCount({ roots }: { roots: string[] }) {
  const states = useThreadStates();
  const open = roots.filter((id) => states.get(id)?.resolved === false).length;
  return open > 0 ? <span className="muted" data-testid="margin-open-count"> · {open} open</span> : null;
}
