import type { BlindObservationRecord, BlindSettingRecord, DebriefFieldRecord, LearningStore } from '../ports';
import type { Sql } from './sql';

interface BlindObservationRow {
  id: string; session_id: string; author_id: string; record: string; anchor: string; received_at: number; offset_ms: number | null; late: number;
}
const toBlindObservation = (r: BlindObservationRow): BlindObservationRecord => ({
  id: r.id, sessionId: r.session_id, authorId: r.author_id, record: r.record, anchor: r.anchor, receivedAt: r.received_at, offsetMs: r.offset_ms, late: r.late === 1,
});


/*
 * The writes a unit of work may hold, synchronous so they can run inside its transaction; the
 * store below makes those that are its methods too.
 */

export function putBlindSettingRow(db: Sql, s: BlindSettingRecord): void {
  db.prepare(
    'INSERT INTO learning_blind_settings (session_id, enabled, set_by, set_at, revealed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_id) DO UPDATE SET enabled = excluded.enabled, set_by = excluded.set_by, set_at = excluded.set_at, revealed_at = excluded.revealed_at',
  ).run(s.sessionId, s.enabled ? 1 : 0, s.setBy, s.setAt, s.revealedAt);
}

export function insertRevealRequestRow(db: Sql, sessionId: string, accountId: string, at: number): void {
  db.prepare('INSERT INTO learning_reveal_requests (session_id, account_id, at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(sessionId, accountId, at);
}

/** A unit of work's `debriefField`: whether it saved. The field's row is its latest version; every version is also kept, append-only. */
export function saveDebriefFieldRow(db: Sql, f: Omit<DebriefFieldRecord, 'version'>, baseVersion: number): boolean {
  const run =
    baseVersion === 0
      ? db.prepare('INSERT INTO learning_debrief_fields (session_id, field, body, updated_by, updated_at, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING').run(f.sessionId, f.field, f.body, f.updatedBy, f.updatedAt)
      : db
          .prepare('UPDATE learning_debrief_fields SET body = ?, updated_by = ?, updated_at = ?, version = version + 1 WHERE session_id = ? AND field = ? AND version = ?')
          .run(f.body, f.updatedBy, f.updatedAt, f.sessionId, f.field, baseVersion);
  if (run.changes !== 1) return false;
  db.prepare('INSERT INTO learning_debrief_versions (session_id, field, version, body, saved_by, saved_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    f.sessionId, f.field, baseVersion + 1, f.body, f.updatedBy, f.updatedAt,
  );
  return true;
}

/** A unit of work's `revealed`: whether this call marked it (not revealed yet, holding `observations` private observations). */
export function markRevealedRow(db: Sql, sessionId: string, at: number, observations: number): boolean {
  return db
    .prepare('UPDATE learning_blind_settings SET revealed_at = ? WHERE session_id = ? AND revealed_at IS NULL AND (SELECT COUNT(*) FROM learning_blind_observations WHERE session_id = ?) = ?')
    .run(at, sessionId, sessionId, observations).changes === 1;
}

/** Huddle and debrief fields, blind mode and private observations on SQLite. */
export function sqliteLearningStore(db: Sql): LearningStore {
  return {
    debriefFields: async (sessionId) =>
      db
        .prepare('SELECT session_id AS sessionId, field, body, updated_by AS updatedBy, updated_at AS updatedAt, version FROM learning_debrief_fields WHERE session_id = ? ORDER BY field')
        .all(sessionId) as DebriefFieldRecord[],
    debriefHistory: async (sessionId) =>
      db
        .prepare('SELECT session_id AS sessionId, field, body, saved_by AS updatedBy, saved_at AS updatedAt, version FROM learning_debrief_versions WHERE session_id = ? ORDER BY field, version')
        .all(sessionId) as DebriefFieldRecord[],
    blindSetting: async (sessionId) => {
      const r = db.prepare('SELECT * FROM learning_blind_settings WHERE session_id = ?').get(sessionId) as
        | { session_id: string; enabled: number; set_by: string; set_at: number; revealed_at: number | null }
        | undefined;
      return r ? { sessionId: r.session_id, enabled: r.enabled === 1, setBy: r.set_by, setAt: r.set_at, revealedAt: r.revealed_at } : null;
    },
    putBlindSetting: async (s) => putBlindSettingRow(db, s),
    requestReveal: async (sessionId, accountId, at) => insertRevealRequestRow(db, sessionId, accountId, at),
    revealRequests: async (sessionId) =>
      db.prepare('SELECT account_id AS accountId, at FROM learning_reveal_requests WHERE session_id = ? ORDER BY at, account_id').all(sessionId) as { accountId: string; at: number }[],
    // On the one writer thread, with no await between them: nothing is written between the check and the insert.
    addBlindObservation: async (o, limit) => {
      if (db.prepare('SELECT 1 FROM learning_blind_settings WHERE session_id = ? AND revealed_at IS NOT NULL').get(o.sessionId)) return 'revealed';
      const stored = db.prepare(
        `INSERT INTO learning_blind_observations (id, session_id, author_id, record, anchor, received_at, offset_ms, late)
         SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM learning_blind_observations WHERE session_id = ? AND author_id = ?) < ?`,
      ).run(o.id, o.sessionId, o.authorId, o.record, o.anchor, o.receivedAt, o.offsetMs, o.late ? 1 : 0, o.sessionId, o.authorId, limit).changes === 1;
      return stored ? 'stored' : 'limit';
    },
    blindObservations: async (sessionId, authorId) =>
      (
        (authorId === undefined
          ? db.prepare('SELECT * FROM learning_blind_observations WHERE session_id = ? ORDER BY received_at, id').all(sessionId)
          : db.prepare('SELECT * FROM learning_blind_observations WHERE session_id = ? AND author_id = ? ORDER BY received_at, id').all(sessionId, authorId)) as BlindObservationRow[]
      ).map(toBlindObservation),
  };
}
