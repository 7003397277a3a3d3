/**
 * The storage ports: what the server asks of a backend (SQLite, PostgreSQL), one interface per
 * concern in the files re-exported here, and `Store`, the one handle they come together on.
 */
export type * from './accountPorts';
export type * from './docPorts';
export type * from './learningPorts';
export type * from './sessionPorts';
export type * from './supervisorPorts';
import type { AccountStore, LoginStore } from './accountPorts';
import type { DocStore } from './docPorts';
import type { LearningStore, MemberNoteStore } from './learningPorts';
import type { AddendumStore, AuditStore, BindingStore, CommentStore, SessionEventStore, SessionStore, TagStore } from './sessionPorts';
import type { SupervisorStores } from './supervisorPorts';

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
