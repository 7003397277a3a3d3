import type {
  AddendumRecord, AddendumStore, BindingStore, CommentRecord, CommentStore, SessionEventRecord, SessionEventStore,
  TagRecord, TagStore,
} from '../ports';
import type { Sql } from './sql';

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

/** The codebook, authorship bindings, lifecycle events, addenda and comments on SQLite. */
export function sqliteReviewStores(db: Sql): {
  tags: TagStore; bindings: BindingStore; events: SessionEventStore; addenda: AddendumStore; comments: CommentStore;
} {
  const insertTag = db.prepare(
    'INSERT INTO tags (id, name, color, description, retired, position, created_at) VALUES (@id, @name, @color, @description, @retired, @position, @createdAt) ON CONFLICT (id) DO NOTHING',
  );
  const tagParams = (t: TagRecord) => ({ ...t, retired: t.retired ? 1 : 0 });
  const tagColumns: Record<string, string> = { name: 'name', color: 'color', description: 'description', retired: 'retired' };
  return {
    tags: {
      list: async () => (db.prepare('SELECT * FROM tags ORDER BY position, name').all() as TagRow[]).map(toTag),
      ensure: async (tags) => {
        db.transaction(() => tags.forEach((t) => insertTag.run(tagParams(t))))();
      },
      create: async (t) => {
        if (insertTag.run(tagParams(t)).changes === 0) throw new Error(`tag id ${t.id} exists`);
      },
      update: async (id, patch) => {
        const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
        if (entries.length === 0) return;
        const sets = entries.map(([k]) => `${tagColumns[k]} = @${k}`).join(', ');
        const values = Object.fromEntries(entries.map(([k, v]) => [k, typeof v === 'boolean' ? (v ? 1 : 0) : v]));
        db.prepare(`UPDATE tags SET ${sets} WHERE id = @id`).run({ ...values, id });
      },
    },
    bindings: {
      forSession: async (sessionId) =>
        new Map((db.prepare('SELECT client_id AS c, account_id AS a FROM client_bindings WHERE session_id = ?').all(sessionId) as { c: number; a: string }[]).map((r) => [r.c, r.a])),
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
      create: async (a: AddendumRecord) => {
        db.prepare('INSERT INTO addenda (id, session_id, author_id, at, body) VALUES (?, ?, ?, ?, ?)').run(a.id, a.sessionId, a.authorId, a.at, a.body);
      },
      list: async (sessionId) =>
        db.prepare('SELECT id, session_id AS sessionId, author_id AS authorId, at, body FROM addenda WHERE session_id = ? ORDER BY at, id').all(sessionId) as AddendumRecord[],
    },
    comments: {
      create: async (c) => {
        db.prepare(
          'INSERT INTO comments (id, session_id, author_id, parent_id, anchor, body, created_at, updated_at, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(c.id, c.sessionId, c.authorId, c.parentId, c.anchor, c.body, c.createdAt, c.updatedAt, c.deleted ? 1 : 0);
      },
      byId: async (id) => {
        const r = db.prepare('SELECT * FROM comments WHERE id = ?').get(id) as CommentRow | undefined;
        return r ? toComment(r) : null;
      },
      list: async (sessionId) => (db.prepare('SELECT * FROM comments WHERE session_id = ? ORDER BY created_at, id').all(sessionId) as CommentRow[]).map(toComment),
      update: async (id, patch) => {
        const sets: string[] = [];
        const values: Record<string, unknown> = { id };
        if (patch.body !== undefined) (sets.push('body = @body'), (values.body = patch.body));
        if (patch.updatedAt !== undefined) (sets.push('updated_at = @updatedAt'), (values.updatedAt = patch.updatedAt));
        if (patch.deleted !== undefined) (sets.push('deleted = @deleted'), (values.deleted = patch.deleted ? 1 : 0));
        if (sets.length > 0) db.prepare(`UPDATE comments SET ${sets.join(', ')} WHERE id = @id`).run(values);
      },
    },
  };
}
