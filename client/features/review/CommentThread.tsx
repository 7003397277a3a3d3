import { useState } from 'react';
import { replyToComment } from '../../api/review';
import { ThreadStatus } from '../supervisor/ThreadStatus';
import { CommentBody } from './CommentBody';
import { CommentForm } from './CommentForm';
import type { Thread } from './commentThreads';

interface CommentThreadProps {
  sessionId: string;
  thread: Thread;
  me: string;
  /** Everyone in the session may reply (not while replaying an earlier state). */
  canReply: boolean;
  onChanged(): void;
}

/** A comment and its replies, with a reply form on demand. */
export function CommentThread({ sessionId, thread, me, canReply, onChanged }: CommentThreadProps) {
  const [replying, setReplying] = useState(false);
  return (
    <div className="thread" data-testid="comment-thread">
      <CommentBody sessionId={sessionId} comment={thread.comment} me={me} onChanged={onChanged} />
      {thread.replies.length > 0 && (
        <ol className="thread__replies">
          {thread.replies.map((r) => (
            <li key={r.id}>
              <CommentBody sessionId={sessionId} comment={r} me={me} onChanged={onChanged} />
            </li>
          ))}
        </ol>
      )}
      {canReply &&
        !thread.comment.deleted &&
        (replying ? (
          <CommentForm
            label="Reply"
            submitLabel="Reply"
            onCancel={() => setReplying(false)}
            onSubmit={async (body) => {
              await replyToComment(sessionId, thread.comment.id, body);
              setReplying(false);
              onChanged();
            }}
          />
        ) : (
          <button type="button" className="link-button thread__reply no-print" onClick={() => setReplying(true)} data-testid="comment-reply">
            Reply
          </button>
        ))}
      <ThreadStatus rootId={thread.comment.id} canResolve={canReply} />
    </div>
  );
}
