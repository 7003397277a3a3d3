/**
 * The storage ports: what the server asks of a backend (SQLite, PostgreSQL), one interface per
 * concern in the files re-exported here, and `Store`, the one handle they come together on.
 */
export type * from './accountPorts';
export type * from './docPorts';
export type * from './learningPorts';
export type * from './sessionPorts';
export type * from './supervisorPorts';
import type { AccountPatch, AccountRecord, AccountStore, LoginRecord, LoginStore } from './accountPorts';
import type { DocStore, NewLogEntry } from './docPorts';
import type { BlindSettingRecord, DebriefFieldRecord, LearningStore, MemberNoteLink, MemberNoteStore, ProcessNoteRecord } from './learningPorts';
import type {
  AddendumRecord, AddendumStore, AuditRecord, AuditStore, BindingStore, CommentRecord, CommentStore, MemberRecord, SessionCondition, SessionEventRecord, SessionEventStore, SessionPatch, SessionRecord, SessionStore,
  TagRecord, TagStore,
} from './sessionPorts';
import type { CompetencyRecord, CompetencyStore, SupervisionNoteRecord, SupervisorStores, ThreadStateRecord } from './supervisorPorts';

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
  leases: LeaseStore;
  passes: StartPassStore;
  /** Cheap round trip for health checks. */
  ping(): Promise<void>;
  /**
   * One durable write that changes nothing, for health checks when nothing else was written
   * lately: a database that answers reads may still refuse writes (a full disk).
   */
  checkWrite(): Promise<void>;
  /**
   * A unit of work: stores every write in `writes`, in order, in one transaction, or none of them.
   * A state change and its audit record go together this way, so a failing audit write leaves
   * the change unmade. A write whose condition no longer holds (a session write's SessionCondition,
   * and the others whose comment says so)
   * throws {@link StaleWriteError} (nothing is stored). Resolves with how many rows each write
   * changed, in order, where its kind counts them (`endLogins`: the logins it ended), else 0.
   */
  commit(writes: readonly AtomicWrite[]): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * Each process's liveness lease, kept where every process of a deployment reads and Redis is not
 * needed: a process silent on Redis whose lease lapsed is dead (killed without a goodbye), one
 * whose lease is fresh has lost its Redis link (fanout/peerWatch.ts). Lease times are the store's
 * own clock, so processes on hosts whose clocks differ agree on them.
 */
export interface LeaseStore {
  /** Extends `instanceId`'s lease to `ttlMs` from now, and drops leases that lapsed a day ago (processes long gone). */
  renew(instanceId: string, ttlMs: number): Promise<void>;
  /** Those of `instanceIds` whose lease has lapsed; one that never held a lease is not among them (nothing is known of it). */
  lapsed(instanceIds: readonly string[]): Promise<string[]>;
}

/**
 * One-off passes over stored data that a server start still owes, by name: the migration that
 * makes a pass needed seeds it (sqlite/migrations/v13StartPasses.ts), the start that completes it
 * marks it done. Processes starting together may each run an owed pass, so a pass is safe to run twice.
 */
export interface StartPassStore {
  /** Whether a start still owes the pass `name`. */
  owed(name: string): Promise<boolean>;
  /** The pass `name` is done: no later start runs it. */
  done(name: string): Promise<void>;
}

/** How long after a lease lapsed its row is dropped (ms): a process long gone is not asked about. */
export const LEASE_KEPT_MS = 24 * 3_600_000;

/**
 * One write of a unit of work (`Store.commit`), each as its port method would make it (named in
 * the comment where the kind does not say it), or as its comment says where no port method makes it
 * (those writes are made only in a unit of work, beside their audit record).
 */
export type AtomicWrite =
  /** Conditions (SessionCondition): `fromStatuses`, and `fromVersion` where the change rests on what was read at that version. */
  | ({ kind: 'session'; id: string; patch: SessionPatch } & SessionCondition)
  /** A new session, its first member and its first log entry (the template, when there is one). */
  | { kind: 'createSession'; session: SessionRecord; firstMember: MemberRecord; initialContent: NewLogEntry | null }
  | { kind: 'putMember'; member: MemberRecord }
  | { kind: 'removeMember'; sessionId: string; accountId: string }
  | { kind: 'account'; id: string; patch: AccountPatch }
  | { kind: 'createAccount'; account: AccountRecord }
  /** The first account (first-run setup): stale when any account exists, however many processes race. */
  | { kind: 'createFirstAccount'; account: AccountRecord }
  /** A new login. */
  | { kind: 'startLogin'; login: LoginRecord }
  /** LoginStore.delete. */
  | { kind: 'endLogin'; tokenHash: string }
  /** LoginStore.deleteForAccount: how many it deleted is what a following audit write's `countInto` names. */
  | { kind: 'endLogins'; accountId: string; exceptTokenHash?: string }
  | { kind: 'event'; event: SessionEventRecord }
  | { kind: 'addendum'; addendum: AddendumRecord }
  | { kind: 'comment'; comment: CommentRecord }
  | { kind: 'updateComment'; id: string; patch: CommentPatch }
  | { kind: 'createTag'; tag: TagRecord }
  | { kind: 'updateTag'; id: string; patch: TagPatch }
  | { kind: 'createCompetency'; competency: CompetencyRecord }
  | { kind: 'updateCompetency'; id: string; patch: CompetencyPatch }
  | { kind: 'supervisionNote'; note: SupervisionNoteRecord }
  /** ThreadStore.setResolved. */
  | { kind: 'threadState'; state: ThreadStateRecord }
  | { kind: 'processNote'; processSessionId: string; patch: ProcessNotePatch }
  /**
   * Deletes a document's log, snapshot, client bindings and announcements for good (process notes
   * removed), in the unit of work that removes them: as a step of its own after the removal's
   * commit, a failed purge left the words stored with nothing to purge them later (the removal
   * stood, and a second press found nothing to remove).
   */
  | { kind: 'purgeDoc'; docId: string }
  /** A session's process note (one per session). */
  | { kind: 'createProcessNote'; note: ProcessNoteRecord }
  /** A member note and the group session it was derived from (one link per member note). */
  | { kind: 'memberNoteLink'; link: MemberNoteLink }
  /** Puts a session in a recurring group (`groupId`: the id of the group's first session); a session already in one stays there. */
  | { kind: 'joinGroup'; sessionId: string; groupId: string; at: number }
  /**
   * A debrief field saved as version `baseVersion + 1`: stale when its stored version is not
   * `baseVersion` (0: not saved yet), so two people saving the same field at once cannot both win.
   */
  | { kind: 'debriefField'; field: Omit<DebriefFieldRecord, 'version'>; baseVersion: number }
  /** LearningStore.putBlindSetting. */
  | { kind: 'blindSetting'; setting: BlindSettingRecord }
  /** LearningStore.requestReveal. */
  | { kind: 'revealRequest'; sessionId: string; accountId: string; at: number }
  /**
   * Marks a blind session revealed (stale when it was revealed already) and appends `merge`, the
   * update that puts the private observations into the note, to the note's log: the mark is never
   * stored without what it promises is in the note. `observations`: how many private observations
   * of the session `merge` was worked out from; stale too when the session holds another number
   * (one stored meanwhile would be in neither the note nor anywhere shown: attack, 4 Dec).
   */
  | { kind: 'revealed'; sessionId: string; at: number; merge: NewLogEntry | null; observations: number }
  /** MemberNoteStore.setAttendance: the attendance record as one text (JSON of label → attendance). */
  | { kind: 'attendance'; sessionId: string; attendance: string }
  /**
   * AuditStore.append. With `countInto`, the entry's detail gets that key set to how many rows
   * the write just before it changed (the logins an `endLogins` ended), counted in the transaction.
   */
  | { kind: 'audit'; entry: AuditRecord; countInto?: string };

export type CommentPatch = Parameters<CommentStore['update']>[1];
export type TagPatch = Parameters<TagStore['update']>[1];
export type CompetencyPatch = Parameters<CompetencyStore['update']>[1];
export type ProcessNotePatch = Parameters<MemberNoteStore['updateProcessNote']>[1];
