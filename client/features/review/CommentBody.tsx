import { useState } from 'react';
import type { CommentView } from '../../../shared/domain/review';
import { deleteComment, updateComment } from '../../api/review';
import { FormError } from '../../components/FormError';
import { useSubmit } from '../../components/useSubmit';
import { formatDateTime } from '../../format';
import { CommentForm } from './CommentForm';

interface CommentBodyProps {
  sessionId: string;
  comment: CommentView;
  me: string;
  onChanged(): void;
}

/** One comment: who, when, what; its author can edit or delete it. */
export function CommentBody({ sessionId, comment, me, onChanged }: CommentBodyProps) {
  const [editing, setEditing] = useState(false);
  const remove = useSubmit(async () => {
    if (!window.confirm('Delete this comment?')) return;
    await deleteComment(sessionId, comment.id);
    onChanged();
  });
  if (comment.deleted) return <p className="comment comment--deleted muted">Comment deleted.</p>;
  const mine = comment.authorId === me;
  const edited = comment.updatedAt !== comment.createdAt;
  return (
    <div className="comment" data-testid="comment">
      <p className="comment__meta">
        <strong>{comment.authorName}</strong> · {formatDateTime(comment.createdAt)}
        {edited && <span className="muted"> · edited {formatDateTime(comment.updatedAt)}</span>}
      </p>
      {editing ? (
        <CommentForm
          label="Edit the comment"
          submitLabel="Save"
          initial={comment.body}
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            await updateComment(sessionId, comment.id, body);
            setEditing(false);
            onChanged();
          }}
        />
      ) : (
        <p className="comment__body" data-testid="comment-body">
          {comment.body}
        </p>
      )}
      {mine && !editing && (
        <p className="comment__actions no-print">
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" className="link-button link-button--danger" onClick={() => void remove.run()} disabled={remove.isPending}>
            Delete
          </button>
        </p>
      )}
      <FormError error={remove.error} />
    </div>
  );
}
