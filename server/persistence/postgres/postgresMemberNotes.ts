import type pg from 'pg';
import type { MemberNoteLink, MemberNoteStore, ProcessNoteRecord } from '../ports';
import { inTransaction, lockDoc } from './db';
import { setAttendanceRow, updateProcessNoteRow, type Queryable } from './postgresWrites';

interface LinkRow { note_session_id: string; group_session_id: string; created_at: number }
const toLink = (r: LinkRow): MemberNoteLink => ({ noteSessionId: r.note_session_id, groupSessionId: r.group_session_id, createdAt: r.created_at });

interface ProcessRow {
  process_session_id: string; session_id: string; retain_days: number | null; shared_at: number | null; shared_by: string | null;
  removed_at: number | null; created_at: number;
}
const toProcess = (r: ProcessRow): ProcessNoteRecord => ({
  processSessionId: r.process_session_id, sessionId: r.session_id, retainDays: r.retain_days, sharedAt: r.shared_at, sharedBy: r.shared_by,
  removedAt: r.removed_at, createdAt: r.created_at,
});

/*
 * Writes made only in a unit of work (its `memberNoteLink`, `createProcessNote` and `joinGroup`).
 */

export async function insertMemberNoteLinkRow(q: Queryable, l: MemberNoteLink): Promise<void> {
  await q.query('INSERT INTO members_note_links (note_session_id, group_session_id, created_at) VALUES ($1, $2, $3)', [l.noteSessionId, l.groupSessionId, l.createdAt]);
}

export async function insertProcessNoteRow(q: Queryable, p: ProcessNoteRecord): Promise<void> {
  await q.query(
    `INSERT INTO members_process_notes (process_session_id, session_id, retain_days, shared_at, shared_by, removed_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [p.processSessionId, p.sessionId, p.retainDays, p.sharedAt, p.sharedBy, p.removedAt, p.createdAt],
  );
}

export async function joinGroupRow(q: Queryable, sessionId: string, groupId: string, at: number): Promise<void> {
  await q.query('INSERT INTO members_group_sessions (session_id, group_id, joined_at) VALUES ($1, $2, $3) ON CONFLICT (session_id) DO NOTHING', [sessionId, groupId, at]);
}

/** Deletes a document's stored rows (see AtomicWrite `purgeDoc`) on `c`, inside its transaction. */
export async function purgeDocRows(c: pg.PoolClient, docId: string): Promise<void> {
  // Waits for an append or compaction under way on another process (see the doc store).
  await lockDoc(c, docId);
  await c.query('DELETE FROM doc_updates WHERE doc_id = $1', [docId]);
  await c.query('DELETE FROM doc_snapshots WHERE doc_id = $1', [docId]);
  await c.query('DELETE FROM client_bindings WHERE session_id = $1', [docId]);
  await c.query('DELETE FROM client_announcements WHERE session_id = $1', [docId]);
}

/** Attendance, member-note links, process notes and recurring groups on PostgreSQL. */
export function postgresMemberNotes(pool: pg.Pool): MemberNoteStore {
  return {
    attendance: async (sessionId) => {
      const { rows } = await pool.query<{ attendance: string }>('SELECT attendance FROM members_attendance WHERE session_id = $1', [sessionId]);
      return rows[0]?.attendance ?? null;
    },
    setAttendance: (sessionId, attendance) => setAttendanceRow(pool, sessionId, attendance),
    notesOf: async (groupSessionId) =>
      (await pool.query<LinkRow>('SELECT * FROM members_note_links WHERE group_session_id = $1 ORDER BY created_at, note_session_id', [groupSessionId])).rows.map(toLink),
    groupOf: async (noteSessionId) => {
      const { rows } = await pool.query<LinkRow>('SELECT * FROM members_note_links WHERE note_session_id = $1', [noteSessionId]);
      return rows[0] ? toLink(rows[0]) : null;
    },
    claimDerivation: async (groupSessionId, now, until) =>
      ((await pool.query(
        'INSERT INTO members_derivations (group_session_id, claimed_until) VALUES ($1, $2) ON CONFLICT (group_session_id) DO UPDATE SET claimed_until = excluded.claimed_until WHERE members_derivations.claimed_until <= $3',
        [groupSessionId, until, now],
      )).rowCount ?? 0) > 0,
    releaseDerivation: async (groupSessionId) => {
      await pool.query('UPDATE members_derivations SET claimed_until = 0 WHERE group_session_id = $1', [groupSessionId]);
    },
    processNote: async (id, by) => {
      const { rows } = await pool.query<ProcessRow>(`SELECT * FROM members_process_notes WHERE ${by === 'session' ? 'session_id' : 'process_session_id'} = $1`, [id]);
      return rows[0] ? toProcess(rows[0]) : null;
    },
    updateProcessNote: (id, patch) => updateProcessNoteRow(pool, id, patch),
    expiredProcessNotes: async (now) =>
      (await pool.query<ProcessRow>('SELECT * FROM members_process_notes WHERE removed_at IS NULL AND retain_days IS NOT NULL AND created_at + retain_days * 86400000::bigint <= $1', [now])).rows.map(toProcess),
    purgeDoc: async (docId) => {
      await inTransaction(pool, (c) => purgeDocRows(c, docId));
    },
    groupIdOf: async (sessionId) => (await pool.query<{ group_id: string }>('SELECT group_id FROM members_group_sessions WHERE session_id = $1', [sessionId])).rows[0]?.group_id ?? null,
    groupSessions: async (groupId) =>
      (await pool.query<{ session_id: string }>('SELECT session_id FROM members_group_sessions WHERE group_id = $1 ORDER BY joined_at, session_id', [groupId])).rows.map((r) => r.session_id),
  };
}
