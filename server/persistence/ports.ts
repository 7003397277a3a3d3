/**
 * The storage ports: what the server asks of a backend (SQLite, PostgreSQL), one interface per
 * concern in the files re-exported here, and `Store`, the one handle they come together on.
 */
export type * from './accountPorts';
export type * from './docPorts';
export type * from './learningPorts';
export type * from './sessionPorts';
export type * from './supervisorPorts';
import type { SessionStatus } from '../../shared/domain/session';
import type { AccountPatch, AccountRecord, AccountStore, LoginStore } from './accountPorts';
import type { DocStore } from './docPorts';
import type { BlindSettingRecord, LearningStore, MemberNoteStore } from './learningPorts';
import type {
  AddendumRecord, AddendumStore, AuditRecord, AuditStore, BindingStore, CommentRecord, CommentStore, MemberRecord, SessionEventRecord, SessionEventStore, SessionPatch, SessionStore,
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
   * the change unmade. A session write with `fromStatuses` that finds the session in another
   * status throws {@link StaleWriteError} (nothing is stored).
   */
  commit(writes: readonly AtomicWrite[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * One write of a unit of work (`Store.commit`), each as its port method would make it (named in
 * the comment where the kind does not say it).
 */
export type AtomicWrite =
  | { kind: 'session'; id: string; patch: SessionPatch; fromStatuses?: readonly SessionStatus[] }
  | { kind: 'putMember'; member: MemberRecord }
  | { kind: 'removeMember'; sessionId: string; accountId: string }
  | { kind: 'account'; id: string; patch: AccountPatch }
  | { kind: 'createAccount'; account: AccountRecord }
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
  /** LearningStore.putBlindSetting. */
  | { kind: 'blindSetting'; setting: BlindSettingRecord }
  /** LearningStore.requestReveal. */
  | { kind: 'revealRequest'; sessionId: string; accountId: string; at: number }
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
