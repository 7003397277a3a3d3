import type pg from 'pg';
import type { Attendance, MemberNoteLink, MemberNoteStore } from '../ports';

interface LinkRow { note_session_id: string; group_session_id: string; created_at: number }
const toLink = (r: LinkRow): MemberNoteLink => ({ noteSessionId: r.note_session_id, groupSessionId: r.group_session_id, createdAt: r.created_at });

/** Attendance and member-note links on PostgreSQL. */
export function postgresMemberNotes(pool: pg.Pool): MemberNoteStore {
  return {
    attendance: async (sessionId) => {
      const { rows } = await pool.query<{ attendance: string }>('SELECT attendance FROM members_attendance WHERE session_id = $1', [sessionId]);
      return rows[0] ? (JSON.parse(rows[0].attendance) as Record<string, Attendance>) : {};
    },
    setAttendance: async (sessionId, attendance) => {
      await pool.query(
        'INSERT INTO members_attendance (session_id, attendance) VALUES ($1, $2) ON CONFLICT (session_id) DO UPDATE SET attendance = excluded.attendance',
        [sessionId, JSON.stringify(attendance)],
      );
    },
    link: async (l) => {
      await pool.query('INSERT INTO members_note_links (note_session_id, group_session_id, created_at) VALUES ($1, $2, $3)', [l.noteSessionId, l.groupSessionId, l.createdAt]);
    },
    notesOf: async (groupSessionId) =>
      (await pool.query<LinkRow>('SELECT * FROM members_note_links WHERE group_session_id = $1 ORDER BY created_at, note_session_id', [groupSessionId])).rows.map(toLink),
    groupOf: async (noteSessionId) => {
      const { rows } = await pool.query<LinkRow>('SELECT * FROM members_note_links WHERE note_session_id = $1', [noteSessionId]);
      return rows[0] ? toLink(rows[0]) : null;
    },
  };
}
