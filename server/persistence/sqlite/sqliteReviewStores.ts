import type {
  AddendumRecord, AddendumStore, BindingStore, CommentPatch, CommentRecord, CommentStore, SessionEventRecord, SessionEventStore,
  TagPatch, TagRecord, TagStore,
} from '../ports';
import { updateRowById, type Sql } from './sql';

interface TagRow { id: string; name: string; color: string; description: string; retired: number; position: number; created_at: number }
const toTag = (r: TagRow): TagRecord => ({
  id: r.id, name: r.name, color: r.color, description: r.description, retired: r.retired === 1, position: r.position, createdAt: r.created_at,
});

interface CommentRow {
  id: string; session_id: string; author_id: string; parent_id: string | null; anchor: string; body: string;
  created_at: number; updated_at: number; deleted: number;
}
const toComment = (r: CommentRow): CommentRecord => ({
  id: r.id, sessionId: r.session_id, authorId: r.author_id, parentId: r.parent_id, anchor: r.anchor, body: r.body,
  createdAt: r.created_at, updatedAt: r.updated_at, deleted: r.deleted === 1,
});

/** SessionEventStore.append, synchronous, for a unit of work's transaction as well. */
export function appendEventRow(db: Sql, e: SessionEventRecord): void {
  db.prepare('INSERT INTO session_events (session_id, at, actor_id, kind, digest, reason) VALUES (?, ?, ?, ?, ?, ?)').run(e.sessionId, e.at, e.actorId, e.kind, e.digest, e.reason);
}

const tagColumns: Record<string, string> = { name: 'name', color: 'color', description: 'description', retired: 'retired' };
const INSERT_TAG =
  'INSERT INTO tags (id, name, color, description, retired, position, created_at) VALUES (@id, @name, @color, @description, @retired, @position, @createdAt) ON CONFLICT (id) DO NOTHING';
const tagParams = (t: TagRecord) => ({ ...t, retired: t.retired ? 1 : 0 });

/*
 * The writes a unit of work may hold, synchronous so they can run inside its transaction; the
 * stores below make them too.
 */

export function insertTagRow(db: Sql, t: TagRecord): void {
  if (db.prepare(INSERT_TAG).run(tagParams(t)).changes === 0) throw new Error(`tag id ${t.id} exists`);
}

export const updateTagRow = (db: Sql, id: string, patch: TagPatch): void => updateRowById(db, 'tags', tagColumns, id, patch);

export function insertAddendumRow(db: Sql, a: AddendumRecord): void {
  db.prepare('INSERT INTO addenda (id, session_id, author_id, at, body) VALUES (?, ?, ?, ?, ?)').run(a.id, a.sessionId, a.authorId, a.at, a.body);
}

const commentColumns: Record<string, string> = { body: 'body', updatedAt: 'updated_at', deleted: 'deleted' };

export const updateCommentRow = (db: Sql, id: string, patch: CommentPatch): void => updateRowById(db, 'comments', commentColumns, id, patch);

export function insertCommentRow(db: Sql, c: CommentRecord): void {
  db.prepare('INSERT INTO comments (id, session_id, author_id, parent_id, anchor, body, created_at, updated_at, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    c.id, c.sessionId, c.authorId, c.parentId, c.anchor, c.body, c.createdAt, c.updatedAt, c.deleted ? 1 : 0,
  );
}

/** The codebook, authorship bindings, lifecycle events, addenda and comments on SQLite. */
export function sqliteReviewStores(db: Sql): {
  tags: TagStore; bindings: BindingStore; events: SessionEventStore; addenda: AddendumStore; comments: CommentStore;
} {
  const insertTag = db.prepare(INSERT_TAG);
  return {
    tags: {
      list: async () => (db.prepare('SELECT * FROM tags ORDER BY position, name').all() as TagRow[]).map(toTag),
      ensure: async (tags) => {
        db.transaction(() => tags.forEach((t) => insertTag.run(tagParams(t))))();
      },
      create: async (t) => insertTagRow(db, t),
      update: async (id, patch) => updateTagRow(db, id, patch),
    },
    bindings: {
      forSession: async (sessionId) =>
        new Map((db.prepare('SELECT client_id AS c, account_id AS a FROM client_bindings WHERE session_id = ?').all(sessionId) as { c: number; a: string }[]).map((r) => [r.c, r.a])),
      announce: async (sessionId, clientId, accountId, at) => {
        db.prepare('INSERT INTO client_announcements (session_id, client_id, account_id, announced_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(sessionId, clientId, accountId, at);
      },
      announced: async (sessionId) =>
        new Map((db.prepare('SELECT client_id AS c, account_id AS a FROM client_announcements WHERE session_id = ?').all(sessionId) as { c: number; a: string }[]).map((r) => [r.c, r.a])),
    },
    events: {
      append: async (e: SessionEventRecord) => {
        appendEventRow(db, e);
      },
      list: async (sessionId) =>
        db
          .prepare('SELECT id, session_id AS sessionId, at, actor_id AS actorId, kind, digest, reason FROM session_events WHERE session_id = ? ORDER BY id')
          .all(sessionId) as (SessionEventRecord & { id: number })[],
    },
    addenda: {
      create: async (a) => insertAddendumRow(db, a),
      list: async (sessionId) =>
        db.prepare('SELECT id, session_id AS sessionId, author_id AS authorId, at, body FROM addenda WHERE session_id = ? ORDER BY at, id').all(sessionId) as AddendumRecord[],
    },
    comments: {
      create: async (c) => insertCommentRow(db, c),
      byId: async (id) => {
        const r = db.prepare('SELECT * FROM comments WHERE id = ?').get(id) as CommentRow | undefined;
        return r ? toComment(r) : null;
      },
      list: async (sessionId) => (db.prepare('SELECT * FROM comments WHERE session_id = ? ORDER BY created_at, id').all(sessionId) as CommentRow[]).map(toComment),
      update: async (id, patch) => updateCommentRow(db, id, patch),
    },
  };
}
