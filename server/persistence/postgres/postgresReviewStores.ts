import type pg from 'pg';
import type {
  AddendumRecord, AddendumStore, BindingStore, CommentRecord, CommentStore, SessionEventRecord, SessionEventStore, TagRecord, TagStore,
} from '../ports';
import { inTransaction } from './db';
import { appendEventRow, insertAddendumRow, insertCommentRow, insertTagRow, SEED_TAG, tagValues, updateCommentRow, updateTagRow } from './postgresWrites';

interface TagRow { id: string; name: string; color: string; description: string; retired: boolean; position: number; created_at: number }
const toTag = (r: TagRow): TagRecord => ({
  id: r.id, name: r.name, color: r.color, description: r.description, retired: r.retired, position: r.position, createdAt: r.created_at,
});

interface CommentRow {
  id: string; session_id: string; author_id: string; parent_id: string | null; anchor: string; body: string;
  created_at: number; updated_at: number; deleted: boolean;
}
const toComment = (r: CommentRow): CommentRecord => ({
  id: r.id, sessionId: r.session_id, authorId: r.author_id, parentId: r.parent_id, anchor: r.anchor, body: r.body,
  createdAt: r.created_at, updatedAt: r.updated_at, deleted: r.deleted,
});

/** The codebook, authorship bindings, lifecycle events, addenda and comments on PostgreSQL. */
export function postgresReviewStores(pool: pg.Pool): {
  tags: TagStore; bindings: BindingStore; events: SessionEventStore; addenda: AddendumStore; comments: CommentStore;
} {
  return {
    tags: {
      list: async () => (await pool.query<TagRow>('SELECT * FROM tags ORDER BY position, name COLLATE "C"')).rows.map(toTag),
      ensure: (tags) =>
        inTransaction(pool, async (c) => {
          for (const t of tags) await c.query(SEED_TAG, tagValues(t));
        }),
      create: (t) => insertTagRow(pool, t),
      update: (id, patch) => updateTagRow(pool, id, patch),
    },
    bindings: {
      forSession: async (sessionId) =>
        new Map((await pool.query<{ c: number; a: string }>('SELECT client_id AS c, account_id AS a FROM client_bindings WHERE session_id = $1', [sessionId])).rows.map((r) => [r.c, r.a])),
      announce: async (sessionId, clientId, accountId, at) => {
        await pool.query('INSERT INTO client_announcements (session_id, client_id, account_id, announced_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [sessionId, clientId, accountId, at]);
      },
      announced: async (sessionId) =>
        new Map((await pool.query<{ c: number; a: string }>('SELECT client_id AS c, account_id AS a FROM client_announcements WHERE session_id = $1', [sessionId])).rows.map((r) => [r.c, r.a])),
    },
    events: {
      append: (e) => appendEventRow(pool, e),
      list: async (sessionId) =>
        (await pool.query<SessionEventRecord & { id: number }>(
          'SELECT id, session_id AS "sessionId", at, actor_id AS "actorId", kind, digest, reason FROM session_events WHERE session_id = $1 ORDER BY id',
          [sessionId],
        )).rows,
    },
    addenda: {
      create: (a) => insertAddendumRow(pool, a),
      list: async (sessionId) =>
        (await pool.query<AddendumRecord>(
          'SELECT id, session_id AS "sessionId", author_id AS "authorId", at, body FROM addenda WHERE session_id = $1 ORDER BY at, id COLLATE "C"',
          [sessionId],
        )).rows,
    },
    comments: {
      create: (c) => insertCommentRow(pool, c),
      byId: async (id) => {
        const r = (await pool.query<CommentRow>('SELECT * FROM comments WHERE id = $1', [id])).rows[0];
        return r ? toComment(r) : null;
      },
      list: async (sessionId) =>
        (await pool.query<CommentRow>('SELECT * FROM comments WHERE session_id = $1 ORDER BY created_at, id COLLATE "C"', [sessionId])).rows.map(toComment),
      update: (id, patch) => updateCommentRow(pool, id, patch),
    },
  };
}
