import type pg from 'pg';
import type {
  AddendumRecord, AddendumStore, BindingStore, CommentRecord, CommentStore, SessionEventRecord, SessionEventStore, TagRecord, TagStore,
} from '../ports';
import { inTransaction } from './db';
import { appendEventRow } from './postgresWrites';

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

const TAG_INSERT = 'INSERT INTO tags (id, name, color, description, retired, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)';
const INSERT_TAG = `${TAG_INSERT} ON CONFLICT (id) DO NOTHING`;
/**
 * Any conflict, not only on id: processes starting together seed the same default tags, and the
 * one that loses the race may trip the unique name first.
 */
const SEED_TAG = `${TAG_INSERT} ON CONFLICT DO NOTHING`;
const tagValues = (t: TagRecord) => [t.id, t.name, t.color, t.description, t.retired, t.position, t.createdAt];
const TAG_COLUMNS = { name: 'name', color: 'color', description: 'description', retired: 'retired' } as const;
const COMMENT_COLUMNS = { body: 'body', updatedAt: 'updated_at', deleted: 'deleted' } as const;

/** `SET a = $2, b = $3` for the defined fields of `patch` ($1 is the row id). */
function setClause<K extends string>(patch: Partial<Record<K, unknown>>, columns: Record<K, string>): { sql: string; values: unknown[] } | null {
  const entries = (Object.entries(patch) as [K, unknown][]).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return null;
  return { sql: entries.map(([k], i) => `${columns[k]} = $${i + 2}`).join(', '), values: entries.map(([, v]) => v) };
}

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
      create: async (t) => {
        if ((await pool.query(INSERT_TAG, tagValues(t))).rowCount === 0) throw new Error(`tag id ${t.id} exists`);
      },
      update: async (id, patch) => {
        const set = setClause(patch, TAG_COLUMNS);
        if (set) await pool.query(`UPDATE tags SET ${set.sql} WHERE id = $1`, [id, ...set.values]);
      },
    },
    bindings: {
      forSession: async (sessionId) =>
        new Map((await pool.query<{ c: number; a: string }>('SELECT client_id AS c, account_id AS a FROM client_bindings WHERE session_id = $1', [sessionId])).rows.map((r) => [r.c, r.a])),
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
      create: async (a: AddendumRecord) => {
        await pool.query('INSERT INTO addenda (id, session_id, author_id, at, body) VALUES ($1, $2, $3, $4, $5)', [a.id, a.sessionId, a.authorId, a.at, a.body]);
      },
      list: async (sessionId) =>
        (await pool.query<AddendumRecord>(
          'SELECT id, session_id AS "sessionId", author_id AS "authorId", at, body FROM addenda WHERE session_id = $1 ORDER BY at, id COLLATE "C"',
          [sessionId],
        )).rows,
    },
    comments: {
      create: async (c) => {
        await pool.query(
          'INSERT INTO comments (id, session_id, author_id, parent_id, anchor, body, created_at, updated_at, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
          [c.id, c.sessionId, c.authorId, c.parentId, c.anchor, c.body, c.createdAt, c.updatedAt, c.deleted],
        );
      },
      byId: async (id) => {
        const r = (await pool.query<CommentRow>('SELECT * FROM comments WHERE id = $1', [id])).rows[0];
        return r ? toComment(r) : null;
      },
      list: async (sessionId) =>
        (await pool.query<CommentRow>('SELECT * FROM comments WHERE session_id = $1 ORDER BY created_at, id COLLATE "C"', [sessionId])).rows.map(toComment),
      update: async (id, patch) => {
        const set = setClause(patch, COMMENT_COLUMNS);
        if (set) await pool.query(`UPDATE comments SET ${set.sql} WHERE id = $1`, [id, ...set.values]);
      },
    },
  };
}
