import type { AuditRecord, AuditStore, MemberRecord, NewLogEntry, SessionCondition, SessionPatch, SessionRecord, SessionStore } from '../ports';
import type { Writes } from './logWrites';
import { toBuffer } from './sqliteLogWriter';
import type { Sql } from './sql';

interface SessionRow {
  id: string; title: string; kind: SessionRecord['kind']; status: SessionRecord['status'];
  scheduled_at: number | null; created_at: number; created_by: string;
  started_at: number | null; ended_at: number | null; group_members: string; version: number;
}
const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id, title: r.title, kind: r.kind, status: r.status, scheduledAt: r.scheduled_at,
  createdAt: r.created_at, createdBy: r.created_by, startedAt: r.started_at, endedAt: r.ended_at,
  groupMembers: JSON.parse(r.group_members) as string[], version: r.version,
});
const sessionColumns: Record<keyof SessionPatch, string> = {
  status: 'status', startedAt: 'started_at', endedAt: 'ended_at', groupMembers: 'group_members', title: 'title',
};
interface MemberRow { session_id: string; account_id: string; role: MemberRecord['role']; added_at: number }
const toMember = (r: MemberRow): MemberRecord => ({
  sessionId: r.session_id, accountId: r.account_id, role: r.role, addedAt: r.added_at,
});

/** SessionStore.update, synchronous, for a unit of work's transaction as well. */
export function updateSessionRow(db: Sql, id: string, patch: SessionPatch, { fromStatuses, fromVersion }: SessionCondition = {}): boolean {
  const entries = (Object.entries(patch) as [keyof SessionPatch, unknown][]).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return true;
  const sets = entries.map(([k]) => `${sessionColumns[k]} = @${k}`).join(', ');
  const values = Object.fromEntries(entries.map(([k, v]) => [k, k === 'groupMembers' ? JSON.stringify(v) : v]));
  const guard =
    (fromStatuses ? ` AND status IN (${fromStatuses.map((_, i) => `@from${i}`).join(', ')})` : '') + (fromVersion !== undefined ? ' AND version = @fromVersion' : '');
  const from = Object.fromEntries((fromStatuses ?? []).map((st, i) => [`from${i}`, st]));
  const version = fromVersion !== undefined ? { fromVersion } : {};
  return db.prepare(`UPDATE sessions SET ${sets}, version = version + 1 WHERE id = @id${guard}`).run({ ...values, ...from, ...version, id }).changes > 0;
}

export const PUT_MEMBER =
  'INSERT INTO session_members (session_id, account_id, role, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (session_id, account_id) DO UPDATE SET role = excluded.role';
export const REMOVE_MEMBER = 'DELETE FROM session_members WHERE session_id = ? AND account_id = ?';

/** A unit of work's `createSession`, inside its transaction: the session, its first member and its first log entry. */
export function insertSessionRows(db: Sql, s: SessionRecord, m: MemberRecord, initial: NewLogEntry | null): void {
  db.prepare(
    'INSERT INTO sessions (id, title, kind, status, scheduled_at, created_at, created_by, started_at, ended_at, group_members) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(s.id, s.title, s.kind, s.status, s.scheduledAt, s.createdAt, s.createdBy, s.startedAt, s.endedAt, JSON.stringify(s.groupMembers));
  db.prepare(PUT_MEMBER).run(m.sessionId, m.accountId, m.role, m.addedAt);
  if (initial) insertNoteEntryRow(db, s.id, initial);
}

/** One entry of a note's update log written in a unit of work (content the server wrote: no client-id bindings). */
export function insertNoteEntryRow(db: Sql, docId: string, e: NewLogEntry): void {
  db.prepare('INSERT INTO doc_updates (doc_id, at, account_id, data) VALUES (?, ?, ?, ?)').run(docId, e.at, e.accountId, toBuffer(e.data));
}

export function sqliteSessionStore(db: Sql): SessionStore {
  const putMember = db.prepare(PUT_MEMBER);
  return {
    byId: async (id) => {
      const r = db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
      return r ? toSession(r) : null;
    },
    listForAccount: async (accountId) =>
      (db
        .prepare('SELECT s.* FROM sessions s JOIN session_members m ON m.session_id = s.id WHERE m.account_id = ? ORDER BY COALESCE(s.scheduled_at, s.created_at) DESC')
        .all(accountId) as SessionRow[]).map(toSession),
    members: async (sessionId) =>
      (db.prepare('SELECT * FROM session_members WHERE session_id = ? ORDER BY added_at, account_id').all(sessionId) as MemberRow[]).map(toMember),
    member: async (sessionId, accountId) => {
      const r = db.prepare('SELECT * FROM session_members WHERE session_id = ? AND account_id = ?').get(sessionId, accountId) as
        | MemberRow
        | undefined;
      return r ? toMember(r) : null;
    },
    putMember: async (m) => {
      putMember.run(m.sessionId, m.accountId, m.role, m.addedAt);
    },
    removeMember: async (sessionId, accountId) =>
      db.prepare(REMOVE_MEMBER).run(sessionId, accountId).changes > 0,
    update: async (id, patch, fromStatuses) => updateSessionRow(db, id, patch, { fromStatuses }),
  };
}

export function sqliteAuditStore(db: Sql, writes: Writes): AuditStore {
  return {
    append: writes.audit,
    list: async ({ sessionId, limit, beforeId, actorId, actions, from, to }) => {
      const rows = db
        .prepare(
          `SELECT id, at, actor_id, action, session_id, detail FROM audit_log
           WHERE (@sessionId IS NULL OR session_id = @sessionId) AND (@beforeId IS NULL OR id < @beforeId)
             AND (@actorId IS NULL OR actor_id = @actorId)
             AND (@actions IS NULL OR action IN (SELECT value FROM json_each(@actions)))
             AND (@from IS NULL OR at >= @from) AND (@to IS NULL OR at < @to)
           ORDER BY id DESC LIMIT @limit`,
        )
        .all({
          sessionId: sessionId ?? null, beforeId: beforeId ?? null, limit, actorId: actorId ?? null,
          actions: actions ? JSON.stringify(actions) : null, from: from ?? null, to: to ?? null,
        }) as {
        id: number; at: number; actor_id: string | null; action: AuditRecord['action']; session_id: string | null; detail: string;
      }[];
      return rows.map((r) => ({
        id: r.id, at: r.at, actorId: r.actor_id, action: r.action, sessionId: r.session_id,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      }));
    },
  };
}

