import type { MemberNoteLink, MemberNoteStore, ProcessNotePatch, ProcessNoteRecord } from '../ports';
import type { Sql } from './sql';

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
const PROCESS_COLUMNS = { retainDays: 'retain_days', sharedAt: 'shared_at', sharedBy: 'shared_by', removedAt: 'removed_at' } as const;

/** MemberNoteStore.setAttendance, synchronous, for a unit of work's transaction as well. */
export function setAttendanceRow(db: Sql, sessionId: string, attendance: string): void {
  db.prepare('INSERT INTO members_attendance (session_id, attendance) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET attendance = excluded.attendance')
    .run(sessionId, attendance);
}

/** MemberNoteStore.updateProcessNote, synchronous, for a unit of work's transaction as well. */
export function updateProcessNoteRow(db: Sql, processSessionId: string, patch: ProcessNotePatch): void {
  const entries = (Object.entries(patch) as [keyof typeof PROCESS_COLUMNS, unknown][]).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return;
  db.prepare(`UPDATE members_process_notes SET ${entries.map(([k]) => `${PROCESS_COLUMNS[k]} = @${k}`).join(', ')} WHERE process_session_id = @id`)
    .run({ ...Object.fromEntries(entries), id: processSessionId });
}

/** A unit of work's `memberNoteLink`. */
export function insertMemberNoteLinkRow(db: Sql, l: MemberNoteLink): void {
  db.prepare('INSERT INTO members_note_links (note_session_id, group_session_id, created_at) VALUES (?, ?, ?)').run(l.noteSessionId, l.groupSessionId, l.createdAt);
}

/** A unit of work's `createProcessNote`. */
export function insertProcessNoteRow(db: Sql, p: ProcessNoteRecord): void {
  db.prepare(
    `INSERT INTO members_process_notes (process_session_id, session_id, retain_days, shared_at, shared_by, removed_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(p.processSessionId, p.sessionId, p.retainDays, p.sharedAt, p.sharedBy, p.removedAt, p.createdAt);
}

/** A unit of work's `joinGroup`. */
export function joinGroupRow(db: Sql, sessionId: string, groupId: string, at: number): void {
  db.prepare('INSERT INTO members_group_sessions (session_id, group_id, joined_at) VALUES (?, ?, ?) ON CONFLICT (session_id) DO NOTHING').run(sessionId, groupId, at);
}

/** Deletes a document's stored rows (see AtomicWrite `purgeDoc`); inside the caller's transaction. */
export function purgeDocRows(db: Sql, docId: string): void {
  db.prepare('DELETE FROM doc_updates WHERE doc_id = ?').run(docId);
  db.prepare('DELETE FROM doc_snapshots WHERE doc_id = ?').run(docId);
  db.prepare('DELETE FROM client_bindings WHERE session_id = ?').run(docId);
  db.prepare('DELETE FROM client_announcements WHERE session_id = ?').run(docId);
}

/** Attendance, member-note links, process notes and recurring groups on SQLite. */
export function sqliteMemberNotes(db: Sql): MemberNoteStore {
  return {
    attendance: async (sessionId) => {
      const r = db.prepare('SELECT attendance FROM members_attendance WHERE session_id = ?').get(sessionId) as { attendance: string } | undefined;
      return r?.attendance ?? null;
    },
    setAttendance: async (sessionId, attendance) => setAttendanceRow(db, sessionId, attendance),
    notesOf: async (groupSessionId) =>
      (db.prepare('SELECT * FROM members_note_links WHERE group_session_id = ? ORDER BY created_at, note_session_id').all(groupSessionId) as LinkRow[]).map(toLink),
    groupOf: async (noteSessionId) => {
      const r = db.prepare('SELECT * FROM members_note_links WHERE note_session_id = ?').get(noteSessionId) as LinkRow | undefined;
      return r ? toLink(r) : null;
    },
    claimDerivation: async (groupSessionId, now, until) =>
      db.prepare('INSERT INTO members_derivations (group_session_id, claimed_until) VALUES (?, ?) ON CONFLICT (group_session_id) DO UPDATE SET claimed_until = excluded.claimed_until WHERE members_derivations.claimed_until <= ?')
        .run(groupSessionId, until, now).changes > 0,
    releaseDerivation: async (groupSessionId) => {
      db.prepare('UPDATE members_derivations SET claimed_until = 0 WHERE group_session_id = ?').run(groupSessionId);
    },
    processNote: async (id, by) => {
      const r = db.prepare(`SELECT * FROM members_process_notes WHERE ${by === 'session' ? 'session_id' : 'process_session_id'} = ?`).get(id) as ProcessRow | undefined;
      return r ? toProcess(r) : null;
    },
    updateProcessNote: async (id, patch) => updateProcessNoteRow(db, id, patch),
    expiredProcessNotes: async (now) =>
      (db.prepare('SELECT * FROM members_process_notes WHERE removed_at IS NULL AND retain_days IS NOT NULL AND created_at + retain_days * 86400000 <= ?').all(now) as ProcessRow[]).map(toProcess),
    purgeDoc: async (docId) => {
      db.transaction(() => purgeDocRows(db, docId))();
    },
    groupIdOf: async (sessionId) => (db.prepare('SELECT group_id FROM members_group_sessions WHERE session_id = ?').get(sessionId) as { group_id: string } | undefined)?.group_id ?? null,
    groupSessions: async (groupId) =>
      (db.prepare('SELECT session_id FROM members_group_sessions WHERE group_id = ? ORDER BY joined_at, session_id').all(groupId) as { session_id: string }[]).map((r) => r.session_id),
  };
}
