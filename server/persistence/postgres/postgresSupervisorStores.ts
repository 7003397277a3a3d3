import type pg from 'pg';
import type { CompetencyRecord, NoticeKind, NoticeRecord, SupervisionNoteRecord, SupervisorStores, ThreadReadRecord, ThreadStateRecord } from '../ports';
import { inTransaction } from './db';
import { COMPETENCY_INSERT, competencyValues, insertCompetencyRow, insertSupervisionNoteRow, setThreadStateRow, updateCompetencyRow } from './postgresWrites';

interface NoticeRow {
  id: string; account_id: string; kind: NoticeKind; session_id: string; actor_id: string | null; ref_id: string | null; created_at: number; read_at: number | null;
}
const toNotice = (r: NoticeRow): NoticeRecord => ({
  id: r.id, accountId: r.account_id, kind: r.kind, sessionId: r.session_id, actorId: r.actor_id, refId: r.ref_id, createdAt: r.created_at, readAt: r.read_at,
});

interface CompetencyRow { id: string; name: string; description: string; retired: boolean; position: number; created_at: number }
const toCompetency = (r: CompetencyRow): CompetencyRecord => ({
  id: r.id, name: r.name, description: r.description, retired: r.retired, position: r.position, createdAt: r.created_at,
});

interface NoteRow { id: string; session_id: string; author_id: string; about_id: string | null; body: string; codes: string[]; created_at: number }
const toNote = (r: NoteRow): SupervisionNoteRecord => ({
  id: r.id, sessionId: r.session_id, authorId: r.author_id, aboutId: r.about_id, body: r.body, codes: r.codes, createdAt: r.created_at,
});

const insertNotice = (c: pg.PoolClient, n: NoticeRecord) =>
  c.query(
    'INSERT INTO supervisor_notices (id, account_id, kind, session_id, actor_id, ref_id, created_at, read_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [n.id, n.accountId, n.kind, n.sessionId, n.actorId, n.refId, n.createdAt, n.readAt],
  );

/** Notices, comment-thread state, the competency codebook and supervision notes on PostgreSQL. */
export function postgresSupervisorStores(pool: pg.Pool): SupervisorStores {
  return {
    notices: {
      create: (notices) =>
        inTransaction(pool, async (c) => {
          for (const n of notices) await insertNotice(c, n);
        }),
      replace: (notices, kinds) =>
        inTransaction(pool, async (c) => {
          for (const n of notices) {
            await c.query(
              'DELETE FROM supervisor_notices WHERE account_id = $1 AND session_id = $2 AND actor_id IS NOT DISTINCT FROM $3 AND kind = ANY($4::text[])',
              [n.accountId, n.sessionId, n.actorId, kinds],
            );
            await insertNotice(c, n);
          }
        }),
      list: async (accountId, limit, sessionIds) =>
        (
          await pool.query<NoticeRow>(
            'SELECT * FROM supervisor_notices WHERE account_id = $1 AND ($3::text[] IS NULL OR session_id = ANY($3::text[])) ORDER BY created_at DESC, id COLLATE "C" DESC LIMIT $2',
            [accountId, limit, sessionIds ?? null],
          )
        ).rows.map(toNotice),
      unreadCount: async (accountId) =>
        Number((await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM supervisor_notices WHERE account_id = $1 AND read_at IS NULL', [accountId])).rows[0]!.n),
      markRead: async (accountId, ids, at) =>
        (await pool.query(
          'UPDATE supervisor_notices SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND ($3::text[] IS NULL OR id = ANY($3::text[]))',
          [at, accountId, ids],
        )).rowCount ?? 0,
      flagsAnswered: async (sessionId, accountIds, flagIds, at) =>
        (await pool.query(
          "UPDATE supervisor_notices SET kind = 'flag_answered', read_at = COALESCE(read_at, $3) WHERE session_id = $4 AND account_id = ANY($1::text[]) AND kind = 'flag' AND ref_id = ANY($2::text[])",
          [accountIds, flagIds, at, sessionId],
        )).rowCount ?? 0,
      flagsRetracted: async (sessionId, flagIds) =>
        (await pool.query("DELETE FROM supervisor_notices WHERE session_id = $1 AND kind = 'flag' AND ref_id = ANY($2::text[])", [sessionId, flagIds])).rowCount ?? 0,
      flagNotices: async (sessionId) =>
        (await pool.query<{ sessionId: string; accountId: string; flagId: string }>(
          `SELECT DISTINCT session_id AS "sessionId", account_id AS "accountId", ref_id AS "flagId" FROM supervisor_notices WHERE kind = 'flag' AND ref_id IS NOT NULL AND ($1::text IS NULL OR session_id = $1)`,
          [sessionId ?? null],
        )).rows,
    },
    threads: {
      setResolved: (s) => setThreadStateRow(pool, s),
      states: async (sessionId) =>
        (await pool.query<ThreadStateRecord>(
          'SELECT root_id AS "rootId", session_id AS "sessionId", resolved_by AS "resolvedBy", resolved_at AS "resolvedAt" FROM supervisor_thread_states WHERE session_id = $1',
          [sessionId],
        )).rows,
      markRead: async (sessionId, r: ThreadReadRecord) => {
        await pool.query(
          `INSERT INTO supervisor_thread_reads (root_id, account_id, session_id, read_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (root_id, account_id) DO UPDATE SET read_at = GREATEST(supervisor_thread_reads.read_at, excluded.read_at)`,
          [r.rootId, r.accountId, sessionId, r.readAt],
        );
      },
      reads: async (sessionId) =>
        (await pool.query<ThreadReadRecord>(
          'SELECT root_id AS "rootId", account_id AS "accountId", read_at AS "readAt" FROM supervisor_thread_reads WHERE session_id = $1 ORDER BY read_at',
          [sessionId],
        )).rows,
    },
    competencies: {
      list: async () => (await pool.query<CompetencyRow>('SELECT * FROM supervisor_competencies ORDER BY position, name COLLATE "C"')).rows.map(toCompetency),
      // Any conflict: processes starting together seed the same defaults.
      ensure: (list) =>
        inTransaction(pool, async (c) => {
          for (const item of list) await c.query(`${COMPETENCY_INSERT} ON CONFLICT DO NOTHING`, competencyValues(item));
        }),
      create: (c) => insertCompetencyRow(pool, c),
      update: (id, patch) => updateCompetencyRow(pool, id, patch),
    },
    supervisionNotes: {
      create: (n) => insertSupervisionNoteRow(pool, n),
      list: async (sessionId) =>
        (await pool.query<NoteRow>('SELECT * FROM supervisor_notes WHERE session_id = $1 ORDER BY created_at, id COLLATE "C"', [sessionId])).rows.map(toNote),
    },
  };
}
