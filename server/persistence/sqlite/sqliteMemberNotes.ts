import type { Attendance, MemberNoteLink, MemberNoteStore } from '../ports';
import type { Sql } from './SqliteStore';

interface LinkRow { note_session_id: string; group_session_id: string; created_at: number }
const toLink = (r: LinkRow): MemberNoteLink => ({ noteSessionId: r.note_session_id, groupSessionId: r.group_session_id, createdAt: r.created_at });

/** Attendance and member-note links on SQLite. */
export function sqliteMemberNotes(db: Sql): MemberNoteStore {
  return {
    attendance: async (sessionId) => {
      const r = db.prepare('SELECT attendance FROM members_attendance WHERE session_id = ?').get(sessionId) as { attendance: string } | undefined;
      return r ? (JSON.parse(r.attendance) as Record<string, Attendance>) : {};
    },
    setAttendance: async (sessionId, attendance) => {
      db.prepare('INSERT INTO members_attendance (session_id, attendance) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET attendance = excluded.attendance')
        .run(sessionId, JSON.stringify(attendance));
    },
    link: async (l) => {
      db.prepare('INSERT INTO members_note_links (note_session_id, group_session_id, created_at) VALUES (?, ?, ?)').run(l.noteSessionId, l.groupSessionId, l.createdAt);
    },
    notesOf: async (groupSessionId) =>
      (db.prepare('SELECT * FROM members_note_links WHERE group_session_id = ? ORDER BY created_at, note_session_id').all(groupSessionId) as LinkRow[]).map(toLink),
    groupOf: async (noteSessionId) => {
      const r = db.prepare('SELECT * FROM members_note_links WHERE note_session_id = ?').get(noteSessionId) as LinkRow | undefined;
      return r ? toLink(r) : null;
    },
  };
}
