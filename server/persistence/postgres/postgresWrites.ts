import type pg from 'pg';
import type {
  AccountPatch, AccountRecord, AddendumRecord, BlindSettingRecord, AuditRecord, CommentPatch, CommentRecord, CompetencyPatch, CompetencyRecord, LoginRecord, MemberRecord, NewLogEntry,
  ProcessNotePatch, SessionCondition, SessionEventRecord, SessionPatch, SessionRecord, SupervisionNoteRecord, TagPatch, TagRecord, ThreadStateRecord,
} from '../ports';
import { lockDoc, lockGlobal, Locks } from './db';
import { insertEntries } from './PostgresDocStore';

/** A pool (one statement, its own transaction) or a client inside a transaction: both run a query. */
export type Queryable = Pick<pg.Pool, 'query'>;

/*
 * The writes a unit of work may hold, each written once: the stores make those that are their
 * methods on the pool, and `postgresUnitOfWork` makes every one on one client between BEGIN and
 * COMMIT.
 */

const SESSION_COLUMNS: Record<keyof SessionPatch, string> = {
  status: 'status', startedAt: 'started_at', endedAt: 'ended_at', groupMembers: 'group_members', title: 'title',
};
const ACCOUNT_COLUMNS = { name: 'name', role: 'role', active: 'active', passwordHash: 'password_hash' } as const;
export const PUT_MEMBER = `INSERT INTO session_members (session_id, account_id, role, added_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (session_id, account_id) DO UPDATE SET role = excluded.role`;
export const memberValues = (m: MemberRecord) => [m.sessionId, m.accountId, m.role, m.addedAt];

/** SessionStore.update. One statement: the status check and the change are atomic (compare-and-set). */
export async function updateSessionRow(q: Queryable, id: string, patch: SessionPatch, { fromStatuses, fromVersion }: SessionCondition = {}): Promise<boolean> {
  const entries = (Object.entries(patch) as [keyof SessionPatch, unknown][]).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return true;
  const values: unknown[] = [id, ...entries.map(([k, v]) => (k === 'groupMembers' ? JSON.stringify(v) : v))];
  const sets = entries.map(([k], i) => `${SESSION_COLUMNS[k]} = $${i + 2}`).join(', ');
  const param = (value: unknown) => `$${values.push(value)}`;
  const guard = (fromStatuses ? ` AND status = ANY(${param(fromStatuses)}::text[])` : '') + (fromVersion !== undefined ? ` AND version = ${param(fromVersion)}` : '');
  const result = await q.query(`UPDATE sessions SET ${sets}, version = version + 1 WHERE id = $1${guard}`, values);
  return (result.rowCount ?? 0) > 0;
}

/** A unit of work's `createSession`, inside its transaction: the session, its first member and its first log entry. */
export async function insertSessionRows(c: pg.PoolClient, s: SessionRecord, m: MemberRecord, initial: NewLogEntry | null): Promise<void> {
  await c.query(
    `INSERT INTO sessions (id, title, kind, status, scheduled_at, created_at, created_by, started_at, ended_at, group_members)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [s.id, s.title, s.kind, s.status, s.scheduledAt, s.createdAt, s.createdBy, s.startedAt, s.endedAt, JSON.stringify(s.groupMembers)],
  );
  await c.query(PUT_MEMBER, memberValues(m));
  if (initial) {
    await lockDoc(c, s.id);
    await insertEntries(c, s.id, [initial]);
  }
}

export async function removeMemberRow(q: Queryable, sessionId: string, accountId: string): Promise<boolean> {
  return ((await q.query('DELETE FROM session_members WHERE session_id = $1 AND account_id = $2', [sessionId, accountId])).rowCount ?? 0) > 0;
}

/** `SET a = $2, b = $3` for the defined fields of `patch` ($1 is the row id). */
function setClause<K extends string>(patch: Partial<Record<K, unknown>>, columns: Record<K, string>): { sql: string; values: unknown[] } | null {
  const entries = (Object.entries(patch) as [K, unknown][]).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return null;
  return { sql: entries.map(([k], i) => `${columns[k]} = $${i + 2}`).join(', '), values: entries.map(([, v]) => v) };
}

/** `UPDATE table SET …` for the defined fields of `patch`, by `key` (default `id`); nothing when none is defined. */
async function updateById<K extends string>(q: Queryable, table: string, columns: Record<K, string>, id: string, patch: Partial<Record<K, unknown>>, key = 'id'): Promise<void> {
  const set = setClause(patch, columns);
  if (set) await q.query(`UPDATE ${table} SET ${set.sql} WHERE ${key} = $1`, [id, ...set.values]);
}

export const updateAccountRow = (q: Queryable, id: string, patch: AccountPatch): Promise<void> => updateById(q, 'accounts', ACCOUNT_COLUMNS, id, patch);

const INSERT_ACCOUNT = 'INSERT INTO accounts (id, email, name, role, password_hash, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)';
const accountValues = (a: AccountRecord) => [a.id, a.email, a.name, a.role, a.passwordHash, a.active, a.createdAt];

export async function insertAccountRow(q: Queryable, a: AccountRecord): Promise<void> {
  await q.query(INSERT_ACCOUNT, accountValues(a));
}

/**
 * A unit of work's `createFirstAccount`, inside its transaction: false when an account exists.
 * The lock makes "none exists yet, so insert" one step across every process.
 */
export async function insertFirstAccountRow(c: pg.PoolClient, a: AccountRecord): Promise<boolean> {
  await lockGlobal(c, Locks.firstAccount);
  const { rows } = await c.query<{ n: number }>('SELECT COUNT(*)::int8 AS n FROM accounts');
  if (rows[0]!.n > 0) return false;
  await insertAccountRow(c, a);
  return true;
}

export async function insertLoginRow(q: Queryable, l: LoginRecord): Promise<void> {
  await q.query('INSERT INTO logins (token_hash, account_id, created_at, last_seen_at) VALUES ($1, $2, $3, $4)', [l.tokenHash, l.accountId, l.createdAt, l.lastSeenAt]);
}

export async function deleteLoginRow(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('DELETE FROM logins WHERE token_hash = $1', [tokenHash]);
}

/** How many logins of the account were deleted (all but `exceptTokenHash`). */
export async function deleteLoginRows(q: Queryable, accountId: string, exceptTokenHash?: string): Promise<number> {
  return (await q.query('DELETE FROM logins WHERE account_id = $1 AND token_hash IS DISTINCT FROM $2', [accountId, exceptTokenHash ?? null])).rowCount ?? 0;
}

export async function appendEventRow(q: Queryable, e: SessionEventRecord): Promise<void> {
  await q.query('INSERT INTO session_events (session_id, at, actor_id, kind, digest, reason) VALUES ($1, $2, $3, $4, $5, $6)', [
    e.sessionId, e.at, e.actorId, e.kind, e.digest, e.reason,
  ]);
}

export async function appendAuditRow(q: Queryable, e: AuditRecord): Promise<void> {
  await q.query('INSERT INTO audit_log (at, actor_id, action, session_id, detail) VALUES ($1, $2, $3, $4, $5)', [
    e.at, e.actorId, e.action, e.sessionId, JSON.stringify(e.detail),
  ]);
}

const TAG_INSERT = 'INSERT INTO tags (id, name, color, description, retired, position, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)';
export const INSERT_TAG = `${TAG_INSERT} ON CONFLICT (id) DO NOTHING`;
/**
 * Any conflict, not only on id: processes starting together seed the same default tags, and the
 * one that loses the race may trip the unique name first.
 */
export const SEED_TAG = `${TAG_INSERT} ON CONFLICT DO NOTHING`;
export const tagValues = (t: TagRecord) => [t.id, t.name, t.color, t.description, t.retired, t.position, t.createdAt];
const TAG_COLUMNS = { name: 'name', color: 'color', description: 'description', retired: 'retired' } as const;

export async function insertTagRow(q: Queryable, t: TagRecord): Promise<void> {
  if ((await q.query(INSERT_TAG, tagValues(t))).rowCount === 0) throw new Error(`tag id ${t.id} exists`);
}

export const updateTagRow = (q: Queryable, id: string, patch: TagPatch): Promise<void> => updateById(q, 'tags', TAG_COLUMNS, id, patch);

export async function insertAddendumRow(q: Queryable, a: AddendumRecord): Promise<void> {
  await q.query('INSERT INTO addenda (id, session_id, author_id, at, body) VALUES ($1, $2, $3, $4, $5)', [a.id, a.sessionId, a.authorId, a.at, a.body]);
}

export async function insertCommentRow(q: Queryable, c: CommentRecord): Promise<void> {
  await q.query(
    'INSERT INTO comments (id, session_id, author_id, parent_id, anchor, body, created_at, updated_at, deleted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    [c.id, c.sessionId, c.authorId, c.parentId, c.anchor, c.body, c.createdAt, c.updatedAt, c.deleted],
  );
}

const COMMENT_COLUMNS = { body: 'body', updatedAt: 'updated_at', deleted: 'deleted' } as const;

export const updateCommentRow = (q: Queryable, id: string, patch: CommentPatch): Promise<void> => updateById(q, 'comments', COMMENT_COLUMNS, id, patch);

export const COMPETENCY_INSERT = 'INSERT INTO supervisor_competencies (id, name, description, retired, position, created_at) VALUES ($1, $2, $3, $4, $5, $6)';
export const competencyValues = (c: CompetencyRecord) => [c.id, c.name, c.description, c.retired, c.position, c.createdAt];
const COMPETENCY_COLUMNS = { name: 'name', description: 'description', retired: 'retired' } as const;

export async function insertCompetencyRow(q: Queryable, c: CompetencyRecord): Promise<void> {
  if ((await q.query(`${COMPETENCY_INSERT} ON CONFLICT (id) DO NOTHING`, competencyValues(c))).rowCount === 0) throw new Error(`competency id ${c.id} exists`);
}

export const updateCompetencyRow = (q: Queryable, id: string, patch: CompetencyPatch): Promise<void> =>
  updateById(q, 'supervisor_competencies', COMPETENCY_COLUMNS, id, patch);

export async function insertSupervisionNoteRow(q: Queryable, n: SupervisionNoteRecord): Promise<void> {
  await q.query('INSERT INTO supervisor_notes (id, session_id, author_id, about_id, body, codes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    n.id, n.sessionId, n.authorId, n.aboutId, n.body, JSON.stringify(n.codes), n.createdAt,
  ]);
}

export async function setThreadStateRow(q: Queryable, s: ThreadStateRecord): Promise<void> {
  await q.query(
    `INSERT INTO supervisor_thread_states (root_id, session_id, resolved_by, resolved_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (root_id) DO UPDATE SET resolved_by = excluded.resolved_by, resolved_at = excluded.resolved_at`,
    [s.rootId, s.sessionId, s.resolvedBy, s.resolvedAt],
  );
}

const PROCESS_COLUMNS = { retainDays: 'retain_days', sharedAt: 'shared_at', sharedBy: 'shared_by', removedAt: 'removed_at' } as const;

export const updateProcessNoteRow = (q: Queryable, processSessionId: string, patch: ProcessNotePatch): Promise<void> =>
  updateById(q, 'members_process_notes', PROCESS_COLUMNS, processSessionId, patch, 'process_session_id');

export async function putBlindSettingRow(q: Queryable, s: BlindSettingRecord): Promise<void> {
  await q.query(
    'INSERT INTO learning_blind_settings (session_id, enabled, set_by, set_at, revealed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (session_id) DO UPDATE SET enabled = EXCLUDED.enabled, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at, revealed_at = EXCLUDED.revealed_at',
    [s.sessionId, s.enabled, s.setBy, s.setAt, s.revealedAt],
  );
}

export async function insertRevealRequestRow(q: Queryable, sessionId: string, accountId: string, at: number): Promise<void> {
  await q.query('INSERT INTO learning_reveal_requests (session_id, account_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [sessionId, accountId, at]);
}

export async function setAttendanceRow(q: Queryable, sessionId: string, attendance: string): Promise<void> {
  await q.query('INSERT INTO members_attendance (session_id, attendance) VALUES ($1, $2) ON CONFLICT (session_id) DO UPDATE SET attendance = excluded.attendance', [sessionId, attendance]);
}
