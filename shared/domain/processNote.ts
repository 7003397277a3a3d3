/** What a session's page shows of its process notes (`GET /api/sessions/:id/process-note`). */
export interface ProcessNoteView {
  processSessionId: string;
  retainDays: number | null;
  /** ISO time it was shared with the supervisor, or null; and who shared them (the therapist who agreed last). */
  sharedAt: string | null;
  sharedBy: string | null;
  /** The names of the other keepers (therapists of the notes' own session): whom a step asks first. */
  otherKeepers: string[];
  /** A therapist's ask to share them, waiting for the co-therapist's agreement (null: none, or shared). */
  shareAsked: KeeperAskView | null;
  /** Once shared: how many supervisors of the session they are not shared with (added since); sharing with them asks the keepers again. */
  unsharedSupervisors: number;
  /** A keeper's ask to remove them for good, waiting for the other keeper's agreement (null: none). */
  removalAsked: KeeperAskView | null;
  /** A keeper's ask to keep them for less time (`retainDays`), waiting for the other keeper's agreement (null: none, or answered). */
  retentionAsked: (KeeperAskView & { retainDays: number }) | null;
  createdAt: string;
  /** When the retention setting removes it (ISO), or null when it is kept until removed. */
  removesAt: string | null;
}

/** Who asked the other keepers to agree to a step, and when; and whose agreement it still waits for. */
export interface KeeperAskView {
  byName: string;
  byMe: boolean;
  at: string;
  /** Whether it waits for the viewer's agreement. */
  waitsForMe: boolean;
  /** The names of the other keepers (not the viewer) it still waits for. */
  waitingFor: string[];
}

/** What a therapist of the session is told of process notes that were removed: they cannot be started again. */
export interface RemovedProcessNoteView {
  removedAt: string;
}

/** `GET /api/sessions/:id/process-note`: the notes, their removal (to the session's therapists), or null when there are none this person may see. */
export type ProcessNoteAnswer = ProcessNoteView | RemovedProcessNoteView | null;
