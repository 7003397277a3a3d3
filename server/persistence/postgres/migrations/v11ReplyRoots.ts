/** Version 10: a reply stored under another reply points at its thread's root (as in SQLite's: why there). */
export const replyRootsSchema = `
  WITH RECURSIVE up(id, root) AS (
    SELECT id, id FROM comments WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, up.root FROM comments c JOIN up ON c.parent_id = up.id
  )
  UPDATE comments c SET parent_id = up.root FROM up
  WHERE up.id = c.id AND c.parent_id IS NOT NULL AND c.parent_id <> up.root;
`;
