/* Debriefs, blind observations, group-member notes and process notes. */

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
   * Every saved version of every field (who saved it, when, its words), by field then version:
   * kept append-only, so a save never loses the words it replaces.
   */
  debriefHistory(sessionId: string): Promise<DebriefFieldRecord[]>;
  blindSetting(sessionId: string): Promise<BlindSettingRecord | null>;
  putBlindSetting(setting: BlindSettingRecord): Promise<void>;
  /** Records that a therapist pressed Reveal (once per person; the first time is kept). */
  requestReveal(sessionId: string, accountId: string, at: number): Promise<void>;
  revealRequests(sessionId: string): Promise<{ accountId: string; at: number }[]>;
  /**
   * Stores a private observation unless its author has `limit` or more in the session already
   * (`limit`) or the session was revealed (`revealed`: the merge has been worked out, so it would
   * join the note never). Checks and insert are one unit: requests in flight at once cannot all
   * pass a count taken before any of them was stored (attack, 2 Dec), and a reveal marked meanwhile
   * either sees this observation (its mark is then stale, see the `revealed` write) or refuses it.
   */
  addBlindObservation(observation: BlindObservationRecord, limit: number): Promise<'stored' | 'limit' | 'revealed'>;
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

  /** The process note of a session (`by: 'session'`), or the one whose own session is `id` (`by: 'process'`). */
  processNote(id: string, by: 'session' | 'process'): Promise<ProcessNoteRecord | null>;
  updateProcessNote(processSessionId: string, patch: Partial<Pick<ProcessNoteRecord, 'retainDays' | 'sharedAt' | 'sharedBy' | 'removedAt'>>): Promise<void>;
  /** Process notes kept past their retention and not removed yet. */
  expiredProcessNotes(now: number): Promise<ProcessNoteRecord[]>;
  /** Deletes a document's every stored update, snapshot and authorship binding (a removed process note). */
  purgeDoc(docId: string): Promise<void>;

  /** The recurring group a session belongs to, or null. */
  groupIdOf(sessionId: string): Promise<string | null>;
  /** The sessions of a recurring group, oldest first. */
  groupSessions(groupId: string): Promise<string[]>;
}

/**
 * The therapists' process notes for one session: a document of its own (kept as a session record
 * whose members are who may open it), never part of the record. `retainDays` null: kept until removed.
 * What a keeper asked the others to agree to is read from the audit log alone
 * (members/processNoteAsks.ts); the share_asked_by/at columns of migration 9 are no longer read or written.
 */
export interface ProcessNoteRecord {
  processSessionId: string;
  sessionId: string;
  retainDays: number | null;
  sharedAt: number | null;
  /** Who shared them with the supervisor (the last therapist to agree), or null. */
  sharedBy: string | null;
  removedAt: number | null;
  createdAt: number;
}
