import type pg from 'pg';
import type { BlindObservationRecord, DebriefFieldRecord, LearningStore } from '../ports';
import { inTransaction } from './db';
import { insertRevealRequestRow, putBlindSettingRow, type Queryable } from './postgresWrites';

interface BlindObservationRow {
  id: string; session_id: string; author_id: string; record: string; anchor: string; received_at: number; offset_ms: number | null; late: boolean;
}
const toBlindObservation = (r: BlindObservationRow): BlindObservationRecord => ({
  id: r.id, sessionId: r.session_id, authorId: r.author_id, record: r.record, anchor: r.anchor, receivedAt: r.received_at, offsetMs: r.offset_ms, late: r.late,
});

/** A unit of work's `debriefField`: whether it saved. The field's row is its latest version; every version is also kept, append-only. */
export async function saveDebriefFieldRow(q: Queryable, f: Omit<DebriefFieldRecord, 'version'>, baseVersion: number): Promise<boolean> {
  const result =
    baseVersion === 0
      ? await q.query('INSERT INTO learning_debrief_fields (session_id, field, body, updated_by, updated_at, version) VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT DO NOTHING', [f.sessionId, f.field, f.body, f.updatedBy, f.updatedAt])
      : await q.query('UPDATE learning_debrief_fields SET body = $1, updated_by = $2, updated_at = $3, version = version + 1 WHERE session_id = $4 AND field = $5 AND version = $6', [
          f.body, f.updatedBy, f.updatedAt, f.sessionId, f.field, baseVersion,
        ]);
  if (result.rowCount !== 1) return false;
  await q.query('INSERT INTO learning_debrief_versions (session_id, field, version, body, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5, $6)', [
    f.sessionId, f.field, baseVersion + 1, f.body, f.updatedBy, f.updatedAt,
  ]);
  return true;
}

/**
 * A unit of work's `revealed`: whether this call marked it (not revealed yet, holding
 * `observations` private observations). The setting's row is locked first, which waits for an
 * observation being stored (it holds the row shared, see addBlindObservation); the count is then
 * a statement of its own, so it sees that observation (each statement reads what was committed
 * before it began).
 */
export async function markRevealedRow(q: Queryable, sessionId: string, at: number, observations: number): Promise<boolean> {
  const open = await q.query('SELECT 1 FROM learning_blind_settings WHERE session_id = $1 AND revealed_at IS NULL FOR UPDATE', [sessionId]);
  if (open.rowCount !== 1) return false;
  const held = await q.query<{ n: string }>('SELECT COUNT(*) AS n FROM learning_blind_observations WHERE session_id = $1', [sessionId]);
  if (Number(held.rows[0]!.n) !== observations) return false;
  return (await q.query('UPDATE learning_blind_settings SET revealed_at = $1 WHERE session_id = $2 AND revealed_at IS NULL', [at, sessionId])).rowCount === 1;
}

/** Huddle and debrief fields, blind mode and private observations on PostgreSQL. */
export function postgresLearningStore(pool: pg.Pool): LearningStore {
  return {
    debriefFields: async (sessionId) =>
      (await pool.query<DebriefFieldRecord>(
        'SELECT session_id AS "sessionId", field, body, updated_by AS "updatedBy", updated_at AS "updatedAt", version FROM learning_debrief_fields WHERE session_id = $1 ORDER BY field COLLATE "C"',
        [sessionId],
      )).rows,
    debriefHistory: async (sessionId) =>
      (await pool.query<DebriefFieldRecord>(
        'SELECT session_id AS "sessionId", field, body, saved_by AS "updatedBy", saved_at AS "updatedAt", version FROM learning_debrief_versions WHERE session_id = $1 ORDER BY field COLLATE "C", version',
        [sessionId],
      )).rows,
    blindSetting: async (sessionId) => {
      const r = (await pool.query<{ session_id: string; enabled: boolean; set_by: string; set_at: number; revealed_at: number | null }>('SELECT * FROM learning_blind_settings WHERE session_id = $1', [sessionId])).rows[0];
      return r ? { sessionId: r.session_id, enabled: r.enabled, setBy: r.set_by, setAt: r.set_at, revealedAt: r.revealed_at } : null;
    },
    putBlindSetting: (s) => putBlindSettingRow(pool, s),
    requestReveal: (sessionId, accountId, at) => insertRevealRequestRow(pool, sessionId, accountId, at),
    revealRequests: async (sessionId) =>
      (await pool.query<{ accountId: string; at: number }>('SELECT account_id AS "accountId", at FROM learning_reveal_requests WHERE session_id = $1 ORDER BY at, account_id COLLATE "C"', [sessionId])).rows,
    // The count and the insert are one statement, but two statements of the same author on two
    // connections would each count below the limit: a per-author transaction lock puts them in turn.
    // The setting's row, held shared to the commit, keeps a reveal from being marked in between
    // (markRevealedRow waits for it, then counts this observation).
    addBlindObservation: (o: BlindObservationRecord, limit: number) =>
      inTransaction(pool, async (client): Promise<'stored' | 'limit' | 'revealed'> => {
        await client.query("SELECT pg_advisory_xact_lock(hashtextextended('tandem:blind:' || $1 || ':' || $2, 0))", [o.sessionId, o.authorId]);
        const setting = await client.query<{ revealed_at: string | null }>('SELECT revealed_at FROM learning_blind_settings WHERE session_id = $1 FOR SHARE', [o.sessionId]);
        if (setting.rows[0]?.revealed_at != null) return 'revealed';
        const inserted = await client.query(
          `INSERT INTO learning_blind_observations (id, session_id, author_id, record, anchor, received_at, offset_ms, late)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE (SELECT COUNT(*) FROM learning_blind_observations WHERE session_id = $2 AND author_id = $3) < $9`,
          [o.id, o.sessionId, o.authorId, o.record, o.anchor, o.receivedAt, o.offsetMs, o.late, limit],
        );
        return inserted.rowCount === 1 ? 'stored' : 'limit';
      }),
    blindObservations: async (sessionId, authorId) =>
      (authorId === undefined
        ? await pool.query<BlindObservationRow>('SELECT * FROM learning_blind_observations WHERE session_id = $1 ORDER BY received_at, id COLLATE "C"', [sessionId])
        : await pool.query<BlindObservationRow>('SELECT * FROM learning_blind_observations WHERE session_id = $1 AND author_id = $2 ORDER BY received_at, id COLLATE "C"', [sessionId, authorId])
      ).rows.map(toBlindObservation),
  };
}
