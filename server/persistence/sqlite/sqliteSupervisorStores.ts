import type { CompetencyPatch, CompetencyRecord, NoticeKind, NoticeRecord, SupervisionNoteRecord, SupervisorStores, ThreadReadRecord, ThreadStateRecord } from '../ports';
import { updateRowById, type Sql } from './sql';

interface NoticeRow {
  id: string; account_id: string; kind: NoticeKind; session_id: string; actor_id: string | null; ref_id: string | null; created_at: number; read_at: number | null;
}
const toNotice = (r: NoticeRow): NoticeRecord => ({
  id: r.id, accountId: r.account_id, kind: r.kind, sessionId: r.session_id, actorId: r.actor_id, refId: r.ref_id, createdAt: r.created_at, readAt: r.read_at,
});

interface CompetencyRow { id: string; name: string; description: string; retired: number; position: number; created_at: number }
const toCompetency = (r: CompetencyRow): CompetencyRecord => ({
  id: r.id, name: r.name, description: r.description, retired: r.retired === 1, position: r.position, createdAt: r.created_at,
});

interface NoteRow { id: string; session_id: string; author_id: string; about_id: string | null; body: string; codes: string; created_at: number }
const toNote = (r: NoteRow): SupervisionNoteRecord => ({
  id: r.id, sessionId: r.session_id, authorId: r.author_id, aboutId: r.about_id, body: r.body, codes: JSON.parse(r.codes) as string[], createdAt: r.created_at,
});

const INSERT_COMPETENCY =
  'INSERT INTO supervisor_competencies (id, name, description, retired, position, created_at) VALUES (@id, @name, @description, @retired, @position, @createdAt) ON CONFLICT (id) DO NOTHING';
const competencyParams = (c: CompetencyRecord) => ({ ...c, retired: c.retired ? 1 : 0 });
const competencyColumns: Record<string, string> = { name: 'name', description: 'description', retired: 'retired' };

/*
 * The writes a unit of work may hold, synchronous so they can run inside its transaction; the
 * stores below make them too.
 */

export function setThreadStateRow(db: Sql, s: ThreadStateRecord): void {
  db.prepare(
    `INSERT INTO supervisor_thread_states (root_id, session_id, resolved_by, resolved_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (root_id) DO UPDATE SET resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at`,
  ).run(s.rootId, s.sessionId, s.resolvedBy, s.resolvedAt);
}

export function insertCompetencyRow(db: Sql, c: CompetencyRecord): void {
  if (db.prepare(INSERT_COMPETENCY).run(competencyParams(c)).changes === 0) throw new Error(`competency id ${c.id} exists`);
}

export const updateCompetencyRow = (db: Sql, id: string, patch: CompetencyPatch): void =>
  updateRowById(db, 'supervisor_competencies', competencyColumns, id, patch);

export function insertSupervisionNoteRow(db: Sql, n: SupervisionNoteRecord): void {
  db.prepare('INSERT INTO supervisor_notes (id, session_id, author_id, about_id, body, codes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    n.id, n.sessionId, n.authorId, n.aboutId, n.body, JSON.stringify(n.codes), n.createdAt,
  );
}

/** Notices, comment-thread state, the competency codebook and supervision notes on SQLite. */
export function sqliteSupervisorStores(db: Sql): SupervisorStores {
  const insertNotice = db.prepare(
    'INSERT INTO supervisor_notices (id, account_id, kind, session_id, actor_id, ref_id, created_at, read_at) VALUES (@id, @accountId, @kind, @sessionId, @actorId, @refId, @createdAt, @readAt)',
  );
  const insertCompetency = db.prepare(INSERT_COMPETENCY);
  return {
    notices: {
      create: async (notices) => {
        db.transaction(() => notices.forEach((n) => insertNotice.run(n)))();
      },
      replace: async (notices, kinds) => {
        const drop = db.prepare('DELETE FROM supervisor_notices WHERE account_id = ? AND session_id = ? AND actor_id IS ? AND kind IN (SELECT value FROM json_each(?))');
        db.transaction(() => notices.forEach((n) => {
          drop.run(n.accountId, n.sessionId, n.actorId, JSON.stringify(kinds));
          insertNotice.run(n);
        }))();
      },
      list: async (accountId, limit, sessionIds) =>
        (
          db
            .prepare('SELECT * FROM supervisor_notices WHERE account_id = ? AND (? IS NULL OR session_id IN (SELECT value FROM json_each(?))) ORDER BY created_at DESC, id DESC LIMIT ?')
            .all(accountId, ...Array(2).fill(sessionIds ? JSON.stringify(sessionIds) : null), limit) as NoticeRow[]
        ).map(toNotice),
      unreadCount: async (accountId) =>
        (db.prepare('SELECT COUNT(*) AS n FROM supervisor_notices WHERE account_id = ? AND read_at IS NULL').get(accountId) as { n: number }).n,
      markRead: async (accountId, ids, at) => {
        if (ids === null) return db.prepare('UPDATE supervisor_notices SET read_at = ? WHERE account_id = ? AND read_at IS NULL').run(at, accountId).changes;
        return db
          .prepare('UPDATE supervisor_notices SET read_at = ? WHERE account_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))')
          .run(at, accountId, JSON.stringify(ids)).changes;
      },
      flagsAnswered: async (sessionId, accountIds, flagIds, at) =>
        db
          .prepare(
            "UPDATE supervisor_notices SET kind = 'flag_answered', read_at = COALESCE(read_at, ?) WHERE session_id = ? AND account_id IN (SELECT value FROM json_each(?)) AND kind = 'flag' AND ref_id IN (SELECT value FROM json_each(?))",
          )
          .run(at, sessionId, JSON.stringify(accountIds), JSON.stringify(flagIds)).changes,
      flagsRetracted: async (sessionId, flagIds) =>
        db.prepare("DELETE FROM supervisor_notices WHERE session_id = ? AND kind = 'flag' AND ref_id IN (SELECT value FROM json_each(?))").run(sessionId, JSON.stringify(flagIds)).changes,
      flagNotices: async (sessionId) => {
        const all = "SELECT DISTINCT session_id AS sessionId, account_id AS accountId, ref_id AS flagId FROM supervisor_notices WHERE kind = 'flag' AND ref_id IS NOT NULL";
        const rows = sessionId === undefined ? db.prepare(all).all() : db.prepare(`${all} AND session_id = ?`).all(sessionId);
        return rows as { sessionId: string; accountId: string; flagId: string }[];
      },
    },
    threads: {
      setResolved: async (s) => setThreadStateRow(db, s),
      states: async (sessionId) =>
        db
          .prepare('SELECT root_id AS rootId, session_id AS sessionId, resolved_by AS resolvedBy, resolved_at AS resolvedAt FROM supervisor_thread_states WHERE session_id = ?')
          .all(sessionId) as ThreadStateRecord[],
      markRead: async (sessionId, r: ThreadReadRecord) => {
        db.prepare(
          `INSERT INTO supervisor_thread_reads (root_id, account_id, session_id, read_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (root_id, account_id) DO UPDATE SET read_at = MAX(read_at, excluded.read_at)`,
        ).run(r.rootId, r.accountId, sessionId, r.readAt);
      },
      reads: async (sessionId) =>
        db
          .prepare('SELECT root_id AS rootId, account_id AS accountId, read_at AS readAt FROM supervisor_thread_reads WHERE session_id = ? ORDER BY read_at')
          .all(sessionId) as ThreadReadRecord[],
    },
    competencies: {
      list: async () => (db.prepare('SELECT * FROM supervisor_competencies ORDER BY position, name').all() as CompetencyRow[]).map(toCompetency),
      ensure: async (list) => {
        db.transaction(() => list.forEach((c) => insertCompetency.run(competencyParams(c))))();
      },
      create: async (c) => insertCompetencyRow(db, c),
      update: async (id, patch) => updateCompetencyRow(db, id, patch),
    },
    supervisionNotes: {
      create: async (n) => insertSupervisionNoteRow(db, n),
      list: async (sessionId) =>
        (db.prepare('SELECT * FROM supervisor_notes WHERE session_id = ? ORDER BY created_at, id').all(sessionId) as NoteRow[]).map(toNote),
    },
  };
}
