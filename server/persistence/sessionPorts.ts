import type { MemberRole } from '../../shared/domain/roles';
import type { SessionKind, SessionStatus } from '../../shared/domain/session';
import type { AuditAction } from '../../shared/domain/audit';

/* Sessions, their members, lifecycle events, addenda, comments, tags, authorship bindings and the audit log. */

export interface SessionRecord {
  id: string;
  title: string;
  kind: SessionKind;
  status: SessionStatus;
  scheduledAt: number | null;
  createdAt: number;
  createdBy: string;
  /** When the session clock started (server time); observation offsets count from here. */
  startedAt: number | null;
  endedAt: number | null;
  /** Pseudonymous labels of the clients in the room (initials, M1…Mn). */
  groupMembers: string[];
  /**
   * Bumped by the store on every change of the record, so a holder of two copies can tell which
   * is newer (a connection's upgrade may read the record before a signature lands).
   */
  version: number;
}

/**
 * What a session write expects to find, compare-and-set: its status one of `fromStatuses` (two
 * people pressing "sign" at once cannot both move it), its `version` still `fromVersion` (a
 * change decided on what was read at that version, such as the group-member labels).
 */
export interface SessionCondition {
  fromStatuses?: readonly SessionStatus[];
  fromVersion?: number;
}

export type SessionPatch = Partial<Pick<SessionRecord, 'status' | 'startedAt' | 'endedAt' | 'groupMembers' | 'title'>>;

export interface MemberRecord {
  sessionId: string;
  accountId: string;
  role: MemberRole;
  addedAt: number;
}

export interface SessionStore {
  byId(id: string): Promise<SessionRecord | null>;
  listForAccount(accountId: string): Promise<SessionRecord[]>;
  members(sessionId: string): Promise<MemberRecord[]>;
  member(sessionId: string, accountId: string): Promise<MemberRecord | null>;
  /** Adds or changes a member's role. */
  putMember(member: MemberRecord): Promise<void>;
  removeMember(sessionId: string, accountId: string): Promise<boolean>;
  /**
   * Applies `patch` only if the session's status is one of `fromStatuses` (compare-and-set, so two
   * people pressing "sign" at once cannot both move it). Returns whether it applied.
   */
  update(id: string, patch: SessionPatch, fromStatuses?: SessionStatus[]): Promise<boolean>;
}

export interface TagRecord {
  id: string;
  name: string;
  color: string;
  description: string;
  retired: boolean;
  position: number;
  createdAt: number;
}

/** The clinic's codebook. Tags are retired, never deleted: past observations keep them by id. */
export interface TagStore {
  list(): Promise<TagRecord[]>;
  /** Inserts the tags whose ids do not exist yet (idempotent; used to seed the defaults). */
  ensure(tags: TagRecord[]): Promise<void>;
  create(tag: TagRecord): Promise<void>;
  update(id: string, patch: Partial<Pick<TagRecord, 'name' | 'color' | 'description' | 'retired'>>): Promise<void>;
}

/**
 * Which account writes under which Yjs client id, per session: the basis of attested authorship.
 * A client id is bound to the first account that uses it (by `DocStore.append`) and never rebound.
 */
export interface BindingStore {
  /** The account each Yjs client id of the note's items was written by (bound when first stored). */
  forSession(sessionId: string): Promise<Map<number, string>>;
  /**
   * Keeps that `accountId`'s page announced Yjs client id `clientId` in the note's presence before
   * writing under it, unless another account announced it first (the first stays). Not a binding:
   * nobody has written under it yet (noteWriters, the review's authors read bindings only).
   */
  announce(sessionId: string, clientId: number, accountId: string, at: number): Promise<void>;
  /** Every client id announced in the note's presence, with the account that announced it first. */
  announced(sessionId: string): Promise<Map<number, string>>;
}

export type SessionEventKind = 'started' | 'ended' | 'signed' | 'cosigned' | 'returned';

/** The lifecycle record of a session: append-only. */
export interface SessionEventRecord {
  id?: number;
  sessionId: string;
  at: number;
  actorId: string;
  kind: SessionEventKind;
  /** SHA-256 of the note as signed (sign, cosign). */
  digest: string | null;
  /** Why a supervisor returned the note. */
  reason: string | null;
}

export interface SessionEventStore {
  append(event: SessionEventRecord): Promise<void>;
  list(sessionId: string): Promise<(SessionEventRecord & { id: number })[]>;
}

export interface AddendumRecord {
  id: string;
  sessionId: string;
  authorId: string;
  at: number;
  body: string;
}

export interface AddendumStore {
  create(addendum: AddendumRecord): Promise<void>;
  list(sessionId: string): Promise<AddendumRecord[]>;
}

export interface CommentRecord {
  id: string;
  sessionId: string;
  authorId: string;
  parentId: string | null;
  /** JSON of the anchor (a passage as Yjs relative positions, or an observation id). */
  anchor: string;
  body: string;
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
}

export interface CommentStore {
  create(comment: CommentRecord): Promise<void>;
  byId(id: string): Promise<CommentRecord | null>;
  list(sessionId: string): Promise<CommentRecord[]>;
  update(id: string, patch: Partial<Pick<CommentRecord, 'body' | 'updatedAt' | 'deleted'>>): Promise<void>;
}

export interface AuditRecord {
  at: number;
  actorId: string | null;
  action: AuditAction;
  sessionId: string | null;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  sessionId?: string;
  limit: number;
  beforeId?: number;
  /** Records by this person. */
  actorId?: string;
  /** Records of one of these actions. */
  actions?: AuditAction[];
  /** Records at or after this time (ms). */
  from?: number;
  /** Records before this time (ms). */
  to?: number;
}

export interface AuditStore {
  append(entry: AuditRecord): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<(AuditRecord & { id: number })[]>;
}
