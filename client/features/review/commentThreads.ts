import type { CommentView } from '../../../shared/domain/review';

export interface Thread {
  comment: CommentView;
  replies: CommentView[];
}

/** Top-level comments with their replies (oldest first); a deleted comment stays if it has replies. */
export function threads(comments: CommentView[]): Thread[] {
  const replies = new Map<string, CommentView[]>();
  for (const c of comments) if (c.parentId) replies.set(c.parentId, [...(replies.get(c.parentId) ?? []), c]);
  const byTime = (a: CommentView, b: CommentView) => a.createdAt.localeCompare(b.createdAt);
  return comments
    .filter((c) => c.parentId === null)
    .map((c) => ({ comment: c, replies: (replies.get(c.id) ?? []).filter((r) => !r.deleted).sort(byTime) }))
    .filter((t) => !t.comment.deleted || t.replies.length > 0)
    .sort((a, b) => byTime(a.comment, b.comment));
}
