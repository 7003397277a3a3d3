/* The supervisor's desk (issue 19): notices, comment-thread state, supervision notes. */

export type NoticeKind = 'flag' | 'flag_answered' | 'comment' | 'reply' | 'returned' | 'cosigned' | 'signature_waiting' | 'cosign_waiting' | 'lock_waiting' | 'signatures_left' | 'locked_without_you' | 'process_removal_asked' | 'process_removal_withdrawn';

/** Something that needs a person, shown in their in-app inbox until they mark it read. */
export interface NoticeRecord {
  id: string;
  accountId: string;
  kind: NoticeKind;
  sessionId: string;
  /** Who caused it (null for none). */
  actorId: string | null;
  /**
   * The comment it is about, for comment and reply notices; the flagged observation's id, for flag
   * notices; for lock notices, whose signing changed and how (`<change>:<accountId>`, lockNoticeWords.ts).
   */
  refId: string | null;
  createdAt: number;
  readAt: number | null;
}

export interface NoticeStore {
  create(notices: NoticeRecord[]): Promise<void>;
  /** Stores these notices, each in place of its account's earlier notices of `kinds` by the same actor about the same session (one unit of work). */
  replace(notices: NoticeRecord[], kinds: readonly NoticeKind[]): Promise<void>;
  /** Newest first; with `sessionIds`, only the notices of those sessions (the inbox: those the account may read). */
  list(accountId: string, limit: number, sessionIds?: readonly string[]): Promise<NoticeRecord[]>;
  unreadCount(accountId: string): Promise<number>;
  /** Marks the account's notices with these ids (all of them when `ids` is null) read; returns how many changed. */
  markRead(accountId: string, ids: string[] | null, at: number): Promise<number>;
  /**
   * Turns these accounts' `flag` notices of these flags (by `refId`) about `sessionId` into
   * `flag_answered`, read at `at` if unread; returns how many changed. Only that session's: a flag
   * id is an observation's key in one note, and the same key written in another note (by a
   * therapist of both) answered the notices of the first (attack, 7 Dec).
   */
  flagsAnswered(sessionId: string, accountIds: readonly string[], flagIds: readonly string[], at: number): Promise<number>;
  /** Deletes every `flag` notice of these flags (by `refId`) about `sessionId`: their author took them back unanswered. Returns how many. */
  flagsRetracted(sessionId: string, flagIds: readonly string[]): Promise<number>;
  /** Who holds a `flag` notice of which flag in which session: every such notice, read or not, or only those about `sessionId` (answeredFlagNotices.ts). */
  flagNotices(sessionId?: string): Promise<{ sessionId: string; accountId: string; flagId: string }[]>;
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
