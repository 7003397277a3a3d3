/**
 * Version 11: a reply stored under another reply (before 6 Dec the server took any comment as a
 * reply's parent) points at its thread's root, as every reply made since does (review.ts
 * `threadRoot`). Stored so, it was in no thread: not on the review page, not counted, never
 * resolved with its thread; the 6 Dec fix put new replies right and left these where they were.
 * Only parents are changed, never words; a chain that reaches no root (a loop) is left as it is.
 */
export const replyRootsSchema = `
  WITH RECURSIVE up(id, root) AS (
    SELECT id, id FROM comments WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, up.root FROM comments c JOIN up ON c.parent_id = up.id
  )
  UPDATE comments SET parent_id = (SELECT root FROM up WHERE up.id = comments.id)
  WHERE parent_id IS NOT NULL
    AND parent_id IN (SELECT id FROM comments WHERE parent_id IS NOT NULL)
    AND id IN (SELECT id FROM up);
`;
