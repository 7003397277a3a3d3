import type { AccountRole, MemberRole } from '../../shared/domain/roles';
import type { SessionKind, SessionStatus } from '../../shared/domain/session';
import type { AuditAction } from '../../shared/domain/audit';

/** One stored document update. `seq` orders the log of one document; `at` is wall time (ms). */
export interface LogEntry {
  seq: number;
  at: number;
  data: Uint8Array;
}

export interface NewLogEntry {
  at: number;
  data: Uint8Array;
  /** The account whose connection sent it (null for server-written content such as templates). */
  accountId: string | null;
}

export interface DocSnapshot {
  /** Every log entry with seq <= uptoSeq is contained in `data`. */
  uptoSeq: number;
  data: Uint8Array;
}

export interface StoredDoc {
  snapshot: DocSnapshot | null;
  /** Entries after the snapshot, in seq order. */
  tail: LogEntry[];
}

export interface DocStats {
  logRows: number;
  logBytes: number;
  snapshotBytes: number;
}

/**
 * Durable storage of the notes' Yjs updates. The log is append-only for writers; compaction
 * replaces a prefix of it by fewer, merged entries (kept for timeline replay) and a snapshot
 * (for fast opening), atomically, so a crash at any point leaves a loadable document.
 */
export interface DocStore {
  load(docId: string): Promise<StoredDoc>;
  /** Appends in one transaction; resolves only once the entries are durable. */
  append(docId: string, entries: NewLogEntry[]): Promise<void>;
  /** Log entries in seq order, optionally only those with seq > afterSeq. */
  readLog(docId: string, afterSeq?: number): Promise<LogEntry[]>;
  /**
   * Atomically: sets the snapshot and replaces every log entry with seq <= snapshot.uptoSeq by
   * `merged` (each keeps the seq and time of the last entry it stands for).
   */
  compact(docId: string, snapshot: DocSnapshot, merged: LogEntry[]): Promise<void>;
  stats(docId: string): Promise<DocStats>;
}

export interface AccountRecord {
  id: string;
  email: string;
  name: string;
  role: AccountRole;
  passwordHash: string;
  active: boolean;
  createdAt: number;
}

export interface AccountStore {
  count(): Promise<number>;
  /** Creates the first account only if none exists (race-free): false when one already did. */
  createFirst(account: AccountRecord): Promise<boolean>;
  create(account: AccountRecord): Promise<void>;
  byId(id: string): Promise<AccountRecord | null>;
  byEmail(email: string): Promise<AccountRecord | null>;
  list(): Promise<AccountRecord[]>;
  update(id: string, patch: Partial<Pick<AccountRecord, 'name' | 'role' | 'active' | 'passwordHash'>>): Promise<void>;
}

export interface LoginRecord {
  /** SHA-256 of the cookie token: a stolen database does not yield usable cookies. */
  tokenHash: string;
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
}

export interface LoginStore {
  create(login: LoginRecord): Promise<void>;
  get(tokenHash: string): Promise<LoginRecord | null>;
  touch(tokenHash: string, at: number): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  deleteForAccount(accountId: string): Promise<void>;
  /** Removes logins idle since before `idleBefore` or created before `createdBefore`. */
  purge(idleBefore: number, createdBefore: number): Promise<number>;
}

export interface SessionRecord {
  id: string;
  title: string;
  kind: SessionKind;
  status: SessionStatus;
  scheduledAt: number | null;
  createdAt: number;
  createdBy: string;
}

export interface MemberRecord {
  sessionId: string;
  accountId: string;
  role: MemberRole;
  addedAt: number;
}

export interface SessionStore {
  /** Creates the session, its first member and its first log entry (the template) together. */
  create(session: SessionRecord, firstMember: MemberRecord, initialContent: NewLogEntry | null): Promise<void>;
  byId(id: string): Promise<SessionRecord | null>;
  listForAccount(accountId: string): Promise<SessionRecord[]>;
  members(sessionId: string): Promise<MemberRecord[]>;
  member(sessionId: string, accountId: string): Promise<MemberRecord | null>;
  /** Adds or changes a member's role. */
  putMember(member: MemberRecord): Promise<void>;
  removeMember(sessionId: string, accountId: string): Promise<boolean>;
}

export interface AuditRecord {
  at: number;
  actorId: string | null;
  action: AuditAction;
  sessionId: string | null;
  detail: Record<string, unknown>;
}

export interface AuditStore {
  append(entry: AuditRecord): Promise<void>;
  list(filter: { sessionId?: string; limit: number; beforeId?: number }): Promise<(AuditRecord & { id: number })[]>;
}

/** Everything the server keeps, behind one handle so a backend is chosen in one place. */
export interface Store {
  docs: DocStore;
  accounts: AccountStore;
  logins: LoginStore;
  sessions: SessionStore;
  audit: AuditStore;
  /** Cheap round trip for health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
