import type { CommentAnchor } from '../../../shared/domain/review';
import { CommentThread } from './CommentThread';
import type { Thread } from './commentThreads';

export interface PassageThread {
  /** Number shown beside the passage in the note (null when the passage is no longer there). */
  number: number | null;
  thread: Thread;
}

interface PassageCommentsProps {
  sessionId: string;
  items: PassageThread[];
  me: string;
  canReply: boolean;
  onChanged(): void;
}

const quoteOf = (anchor: CommentAnchor) => (anchor.type === 'passage' ? anchor.quote : '');

/** The comments on passages, in the order their passages stand in the note. */
export function PassageComments({ sessionId, items, me, canReply, onChanged }: PassageCommentsProps) {
  return (
    <section className="panel review-panel" aria-labelledby="passage-comments-title" data-testid="passage-comments">
      <h2 className="panel__title" id="passage-comments-title">
        Comments on the note <span className="muted">({items.length})</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted panel__empty">No comments on passages yet.</p>
      ) : (
        <ol className="passage-threads">
          {items.map(({ number, thread }) => (
            <li key={thread.comment.id} id={number === null ? undefined : `passage-comment-${number}`} className="passage-thread">
              <p className="passage-thread__quote">
                {number !== null ? <span className="passage-thread__number">{number}</span> : <span className="muted">(passage no longer in the note) </span>}
                “{quoteOf(thread.comment.anchor)}”
              </p>
              <CommentThread sessionId={sessionId} thread={thread} me={me} canReply={canReply} onChanged={onChanged} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
