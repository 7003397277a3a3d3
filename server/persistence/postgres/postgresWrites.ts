import type pg from 'pg';
import type { SessionStatus } from '../../../shared/domain/session';
import type { AccountPatch, AtomicWrite, AuditRecord, MemberRecord, SessionEventRecord, SessionPatch, Store } from '../ports';
import { StaleWriteError } from '../storageBoundary';
import { inTransaction } from './db';

/** A pool (one statement, its own transaction) or a client inside a transaction: both run a query. */
export type Queryable = Pick<pg.Pool, 'query'>;

/*
 * The writes a unit of work may hold, each written once: the stores make them on the pool, and
 * `postgresUnitOfWork` on one client between BEGIN and COMMIT.
 */

const SESSION_COLUMNS: Record<keyof SessionPatch, string> = {
  status: 'status', startedAt: 'started_at', endedAt: 'ended_at', groupMembers: 'group_members', title: 'title',
};
const ACCOUNT_COLUMNS = { name: 'name', role: 'role', active: 'active', passwordHash: 'password_hash' } as const;
export const PUT_MEMBER = `INSERT INTO session_members (session_id, account_id, role, added_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (session_id, account_id) DO UPDATE SET role = excluded.role`;
export const memberValues = (m: MemberRecord) => [m.sessionId, m.accountId, m.role, m.addedAt];

/** SessionStore.update. One statement: the status check and the change are atomic (compare-and-set). */
export async function updateSessionRow(q: Queryable, id: string, patch: SessionPatch, fromStatuses?: readonly SessionStatus[]): Promise<boolean> {
  const entries = (Object.entries(patch) as [keyof SessionPatch, unknown][]).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return true;
  const sets = entries.map(([k], i) => `${SESSION_COLUMNS[k]} = $${i + 2}`).join(', ');
  const values = entries.map(([k, v]) => (k === 'groupMembers' ? JSON.stringify(v) : v));
  const guard = fromStatuses ? ` AND status = ANY($${entries.length + 2}::text[])` : '';
  const result = await q.query(`UPDATE sessions SET ${sets}, version = version + 1 WHERE id = $1${guard}`, [id, ...values, ...(fromStatuses ? [fromStatuses] : [])]);
  return (result.rowCount ?? 0) > 0;
}

export async function removeMemberRow(q: Queryable, sessionId: string, accountId: string): Promise<boolean> {
  return ((await q.query('DELETE FROM session_members WHERE session_id = $1 AND account_id = $2', [sessionId, accountId])).rowCount ?? 0) > 0;
}

export async function updateAccountRow(q: Queryable, id: string, patch: AccountPatch): Promise<void> {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as [keyof typeof ACCOUNT_COLUMNS, unknown][];
  if (entries.length === 0) return;
  const sets = entries.map(([k], i) => `${ACCOUNT_COLUMNS[k]} = $${i + 2}`).join(', ');
  await q.query(`UPDATE accounts SET ${sets} WHERE id = $1`, [id, ...entries.map(([, v]) => v)]);
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

async function apply(q: Queryable, w: AtomicWrite): Promise<void> {
  switch (w.kind) {
    case 'session':
      if (!(await updateSessionRow(q, w.id, w.patch, w.fromStatuses)) && w.fromStatuses) throw new StaleWriteError(w.id);
      return;
    case 'putMember':
      await q.query(PUT_MEMBER, memberValues(w.member));
      return;
    case 'removeMember':
      await removeMemberRow(q, w.sessionId, w.accountId);
      return;
    case 'account':
      return updateAccountRow(q, w.id, w.patch);
    case 'event':
      return appendEventRow(q, w.event);
    case 'audit':
      return appendAuditRow(q, w.entry);
  }
}

/** Store.commit on PostgreSQL: the writes in order on one client between BEGIN and COMMIT (ROLLBACK on any failure). */
export function postgresUnitOfWork(pool: pg.Pool): Store['commit'] {
  return (writes) =>
    inTransaction(pool, async (c) => {
      for (const w of writes) await apply(c, w);
    });
}
