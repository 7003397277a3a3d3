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
  /**
   * Authorship bindings (Yjs client id → account) of the client ids this update writes with:
   * stored in the same transaction as the update (first binding wins), so authorship survives a
   * crash exactly as the content does.
   */
  bindings?: [number, string][];
}

export interface DocSnapshot {
  /** Every log entry with seq <= uptoSeq is contained in `data`. */
  uptoSeq: number;
  data: Uint8Array;
  /**
   * The snapshot's state vector and delete set (`collab/snapshotMeta.ts`), or null when they were
   * not recorded: derived data, so a note opens without it, only more slowly.
   */
  meta: Uint8Array | null;
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
   * Atomically: sets the snapshot and replaces the log entries with afterSeq < seq <=
   * snapshot.uptoSeq by `merged` (each keeps the seq and time of the last entry it stands for).
   */
  compact(docId: string, snapshot: DocSnapshot, merged: LogEntry[], afterSeq: number): Promise<void>;
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
  /** Deletes the account's logins, except the one `exceptTokenHash` names; returns how many. */
  deleteForAccount(accountId: string, exceptTokenHash?: string): Promise<number>;
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

export type SessionPatch = Partial<Pick<SessionRecord, 'status' | 'startedAt' | 'endedAt' | 'groupMembers' | 'title'>>;

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
  forSession(sessionId: string): Promise<Map<number, string>>;
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

/** One field of a session's huddle or debrief, as last saved (`shared/domain/debrief.ts` names the fields). */
export interface DebriefFieldRecord {
  sessionId: string;
  field: string;
  body: string;
  updatedBy: string;
  updatedAt: number;
  /** 1 for the first save, bumped by every save: a save names the version it changes. */
  version: number;
}

/** Whether a session is run blind (observations private to their author until the reveal). */
export interface BlindSettingRecord {
  sessionId: string;
  enabled: boolean;
  setBy: string;
  setAt: number;
  /** When the private observations were merged into the note; null before. */
  revealedAt: number | null;
}

/** A therapist's private observation in a blind session, kept by the server until the reveal. */
export interface BlindObservationRecord {
  id: string;
  sessionId: string;
  authorId: string;
  /** JSON of the observation as it will enter the note (`Observation`). */
  record: string;
  /** JSON of its anchor in the note: Yjs relative positions (base64) of the span's ends or the line's place. */
  anchor: string;
  /** When the server received it (ms), and the session-clock offset and lateness then. */
  receivedAt: number;
  offsetMs: number | null;
  late: boolean;
}

/** The co-therapists' training records: huddle and debrief fields, blind mode and its private observations. */
export interface LearningStore {
  debriefFields(sessionId: string): Promise<DebriefFieldRecord[]>;
  /**
   * Saves a field if its stored version is still `baseVersion` (0: not saved yet), as
   * `baseVersion + 1` (compare-and-set: two people saving the same field at once cannot both win).
   */
  saveDebriefField(field: Omit<DebriefFieldRecord, 'version'>, baseVersion: number): Promise<boolean>;
  blindSetting(sessionId: string): Promise<BlindSettingRecord | null>;
  putBlindSetting(setting: BlindSettingRecord): Promise<void>;
  /** Marks the session revealed if it was not yet; whether this call did it (compare-and-set). */
  markRevealed(sessionId: string, at: number): Promise<boolean>;
  /** Records that a therapist pressed Reveal (once per person; the first time is kept). */
  requestReveal(sessionId: string, accountId: string, at: number): Promise<void>;
  revealRequests(sessionId: string): Promise<{ accountId: string; at: number }[]>;
  addBlindObservation(observation: BlindObservationRecord): Promise<void>;
  /** The session's private observations (only `authorId`'s when given), oldest first. */
  blindObservations(sessionId: string, authorId?: string): Promise<BlindObservationRecord[]>;
}

/** Whether a group member was in the room: it decides which individual member notes exist. */
export type Attendance = 'present' | 'absent' | 'late';

/** An individual member note (itself a session with its own note) and the group session it was derived from. */
export interface MemberNoteLink {
  noteSessionId: string;
  groupSessionId: string;
  createdAt: number;
}

/**
 * Group members' attendance per session, which member notes were derived from which group note,
 * process notes and recurring groups. The labels live only in sealed values (attendance is one
 * text, a member note's label is its session's one group member), so nothing is looked up by one.
 */
export interface MemberNoteStore {
  /** The session's attendance as stored: one text (JSON of label → attendance, sealed at rest), or null. */
  attendance(sessionId: string): Promise<string | null>;
  setAttendance(sessionId: string, attendance: string): Promise<void>;
  link(link: MemberNoteLink): Promise<void>;
  /** The member notes derived from a group session, oldest first. */
  notesOf(groupSessionId: string): Promise<MemberNoteLink[]>;
  /** The group session a member note was derived from, or null for any other session. */
  groupOf(noteSessionId: string): Promise<MemberNoteLink | null>;
  /**
   * Claims deriving a group's member notes until `until` (ms), unless another claim still runs at
   * `now`: one process derives at a time, so no member gets two notes. False when taken.
   */
  claimDerivation(groupSessionId: string, now: number, until: number): Promise<boolean>;
  releaseDerivation(groupSessionId: string): Promise<void>;

  createProcessNote(note: ProcessNoteRecord): Promise<void>;
  /** The process note of a session (`by: 'session'`), or the one whose own session is `id` (`by: 'process'`). */
  processNote(id: string, by: 'session' | 'process'): Promise<ProcessNoteRecord | null>;
  updateProcessNote(processSessionId: string, patch: Partial<Pick<ProcessNoteRecord, 'retainDays' | 'sharedAt' | 'removedAt'>>): Promise<void>;
  /** Process notes kept past their retention and not removed yet. */
  expiredProcessNotes(now: number): Promise<ProcessNoteRecord[]>;
  /** Deletes a document's every stored update, snapshot and authorship binding (a removed process note). */
  purgeDoc(docId: string): Promise<void>;

  /** Puts a session in a recurring group (`groupId`: the id of the group's first session). */
  joinGroup(sessionId: string, groupId: string, at: number): Promise<void>;
  /** The recurring group a session belongs to, or null. */
  groupIdOf(sessionId: string): Promise<string | null>;
  /** The sessions of a recurring group, oldest first. */
  groupSessions(groupId: string): Promise<string[]>;
}

/**
 * The therapists' process notes for one session: a document of its own (kept as a session record
 * whose members are who may open it), never part of the record. `retainDays` null: kept until removed.
 */
export interface ProcessNoteRecord {
  processSessionId: string;
  sessionId: string;
  retainDays: number | null;
  sharedAt: number | null;
  removedAt: number | null;
  createdAt: number;
}

/** Everything the server keeps, behind one handle so a backend is chosen in one place. */
export interface Store extends SupervisorStores {
  docs: DocStore;
  accounts: AccountStore;
  logins: LoginStore;
  sessions: SessionStore;
  audit: AuditStore;
  tags: TagStore;
  bindings: BindingStore;
  events: SessionEventStore;
  addenda: AddendumStore;
  comments: CommentStore;
  learning: LearningStore;
  memberNotes: MemberNoteStore;
  /** Cheap round trip for health checks. */
  ping(): Promise<void>;
  /**
   * One durable write that changes nothing, for health checks when nothing else was written
   * lately: a database that answers reads may still refuse writes (a full disk).
   */
  checkWrite(): Promise<void>;
  close(): Promise<void>;
}

// ---- The supervisor's desk (issue 19): notices, comment-thread state, supervision notes. ----

export type NoticeKind = 'flag' | 'comment' | 'reply' | 'returned' | 'cosigned' | 'signature_waiting' | 'cosign_waiting';

/** Something that needs a person, shown in their in-app inbox until they mark it read. */
export interface NoticeRecord {
  id: string;
  accountId: string;
  kind: NoticeKind;
  sessionId: string;
  /** Who caused it (null for none). */
  actorId: string | null;
  /** The comment it is about, for comment and reply notices. */
  refId: string | null;
  createdAt: number;
  readAt: number | null;
}

export interface NoticeStore {
  create(notices: NoticeRecord[]): Promise<void>;
  /** Newest first. */
  list(accountId: string, limit: number): Promise<NoticeRecord[]>;
  unreadCount(accountId: string): Promise<number>;
  /** Marks the account's notices with these ids (all of them when `ids` is null) read; returns how many changed. */
  markRead(accountId: string, ids: string[] | null, at: number): Promise<number>;
}

/** A comment thread's state, kept by its root comment's id. */
export interface ThreadStateRecord {
  rootId: string;
  sessionId: string;
  resolvedBy: string | null;
  resolvedAt: number | null;
}

export interface ThreadReadRecord {
  rootId: string;
  accountId: string;
  readAt: number;
}

export interface ThreadStore {
  /** Resolves (resolvedBy set) or reopens (null) a thread. */
  setResolved(state: ThreadStateRecord): Promise<void>;
  states(sessionId: string): Promise<ThreadStateRecord[]>;
  /** Records that the account has read the thread as it is now (the latest time wins). */
  markRead(sessionId: string, read: ThreadReadRecord): Promise<void>;
  reads(sessionId: string): Promise<ThreadReadRecord[]>;
}

/** A competency of the supervision codebook, kept by the admin; retired, never deleted. */
export interface CompetencyRecord {
  id: string;
  name: string;
  description: string;
  retired: boolean;
  position: number;
  createdAt: number;
}

export interface CompetencyStore {
  list(): Promise<CompetencyRecord[]>;
  /** Inserts those whose ids do not exist yet (idempotent; seeds the defaults). */
  ensure(competencies: CompetencyRecord[]): Promise<void>;
  create(competency: CompetencyRecord): Promise<void>;
  update(id: string, patch: Partial<Pick<CompetencyRecord, 'name' | 'description' | 'retired'>>): Promise<void>;
}

/** A supervision note on a session: not part of the client's record, stored apart from it. */
export interface SupervisionNoteRecord {
  id: string;
  sessionId: string;
  authorId: string;
  /** The therapist the note is about (null: the pair, or the author's own reflection). */
  aboutId: string | null;
  body: string;
  /** Competency ids from the codebook. */
  codes: string[];
  createdAt: number;
}

export interface SupervisionNoteStore {
  create(note: SupervisionNoteRecord): Promise<void>;
  list(sessionId: string): Promise<SupervisionNoteRecord[]>;
}

/** The supervisor's desk's stores, kept apart from the note's. */
export interface SupervisorStores {
  notices: NoticeStore;
  threads: ThreadStore;
  competencies: CompetencyStore;
  supervisionNotes: SupervisionNoteStore;
}
