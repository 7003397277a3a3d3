/**
 * The supervisor's desk (issue 19): the review queue, session search, notices, comment-thread
 * state, supervision notes with their competency codebook, and the dyad's figures across sessions.
 */
import { z } from 'zod';
import { sessionKindSchema, sessionStatusSchema, type SessionKind, type SessionStatus } from './session';

/** A calendar day (`2026-11-30`, taken in the clinic's zone) or an instant (`2026-11-30T14:05:00Z`). */
export const dayOrInstantSchema = z.union([
  z.iso.date({ error: 'use a date like 2026-11-30' }),
  z.iso.datetime({ offset: true, error: 'use a date like 2026-11-30' }),
], { error: 'use a date like 2026-11-30' });

const optionalText = (max: number) => z.string().trim().max(max).optional().transform((v) => (v === '' ? undefined : v));

export const queueQuerySchema = z
  .object({
    therapist: z.uuid().optional(),
    kind: sessionKindSchema.optional(),
    from: dayOrInstantSchema.optional(),
    to: dayOrInstantSchema.optional(),
  })
  .strict();
export type QueueQuery = z.infer<typeof queueQuerySchema>;

export const sessionSearchSchema = z
  .object({
    q: optionalText(200),
    from: dayOrInstantSchema.optional(),
    to: dayOrInstantSchema.optional(),
    status: sessionStatusSchema.optional(),
    member: z.uuid().optional(),
  })
  .strict();
export type SessionSearch = z.infer<typeof sessionSearchSchema>;

/**
 * Where a note stands for the person looking. Supervisors: `awaiting_cosign` (signed by both,
 * first time), `resubmitted` (signed again after a return), `returned` (with the therapists),
 * `reviewed` (co-signed). Therapists: `to_sign` (ended, a signature missing), `returned`,
 * `awaiting_cosign`, `reviewed`.
 */
export type QueueState = 'to_sign' | 'returned' | 'awaiting_cosign' | 'resubmitted' | 'reviewed';

export interface QueueItem {
  sessionId: string;
  title: string;
  kind: SessionKind;
  status: SessionStatus;
  state: QueueState;
  /** The session's date: when it was planned, else when it started, else when it was created. */
  date: string;
  /** When the note reached this state. */
  since: string;
  therapists: { id: string; name: string }[];
  supervisors: { id: string; name: string }[];
  /** Therapists whose signature on the current content is missing (state `to_sign`). */
  waitingFor: { id: string; name: string }[];
  /** The supervisor's reason, for a returned note. */
  returnReason: string | null;
  /** How many times the note was returned for revision. */
  returns: number;
  comments: number;
  openThreads: number;
}

export interface QueueView {
  role: 'supervisor' | 'therapist';
  items: QueueItem[];
  counts: Record<QueueState, number>;
  /** Everyone who appears as a therapist in the caller's sessions, for the filter. */
  therapists: { id: string; name: string }[];
}

/** Co-signed notes stay in the supervisor's "recently reviewed" list this long. */
export const RECENTLY_REVIEWED_DAYS = 14;

// ---- Notices ----

/**
 * A notice's kind as read now: the stored kind, or `flag_unanswered` for a flag notice whose note
 * was locked with the flag unanswered (it can be answered no more).
 */
export type NoticeKindView = 'flag' | 'flag_answered' | 'flag_unanswered' | 'comment' | 'reply' | 'returned' | 'cosigned' | 'signature_waiting' | 'cosign_waiting' | 'lock_waiting' | 'signatures_left' | 'locked_without_you' | 'process_removal_asked' | 'process_removal_withdrawn';

/**
 * Where the note stands now, for a notice that asked the reader to act (`signature_waiting`,
 * `cosign_waiting`): still `waiting` for them, or since then `signed` (by the reader, or by both
 * therapists), `resign` (the reader signed the note after it changed, so the one who had signed
 * must sign again), `cosigned`, or `returned` for revision. For a keeper's ask to remove the
 * process notes (`process_removal_asked`): `waiting` for the reader, `agreed` (the reader asked the
 * same; others have still to), `lapsed` (the ask no longer stands, or no longer waits for the
 * reader), or `removed` (the notes were removed; said of a withdrawal's notice too). A notice keeps
 * the words of when it was sent; this is read fresh.
 */
export type NoticeNow = 'waiting' | 'signed' | 'resign' | 'cosigned' | 'returned' | 'agreed' | 'lapsed' | 'removed';

export interface NoticeView {
  id: string;
  kind: NoticeKindView;
  /** For a notice that asked the reader to act: where the note stands now; null for the others. */
  now: NoticeNow | null;
  sessionId: string;
  sessionTitle: string;
  actorName: string | null;
  /** What happened, in a sentence. */
  text: string;
  /** Where to go to act on it. */
  path: string;
  createdAt: string;
  read: boolean;
}

export interface NoticesView {
  unread: number;
  notices: NoticeView[];
}

export const markNoticesBodySchema = z.object({ ids: z.array(z.uuid()).min(1).max(500).optional() }).strict();

// ---- Comment threads ----

export interface ThreadView {
  rootId: string;
  resolved: boolean;
  resolvedBy: string | null;
  resolvedByName: string | null;
  resolvedAt: string | null;
  /** Who has read the thread, and when they last did. */
  readers: { accountId: string; name: string; at: string }[];
  /** Comments in the thread (the root and its replies, not deleted). */
  size: number;
}

export const resolveBodySchema = z.object({ resolved: z.boolean() }).strict();

/** What the live stream (`GET /api/events`) tells a page; it carries ids, never clinical text. */
export const liveEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('comments'), sessionId: z.uuid() }).strict(),
  z.object({ type: z.literal('notices') }).strict(),
  z.object({ type: z.literal('session'), sessionId: z.uuid() }).strict(),
  /** The clinic's codebook changed (a tag added, renamed, recoloured, retired): to every open page. */
  z.object({ type: z.literal('codebook') }).strict(),
]);
export type LiveEvent = z.infer<typeof liveEventSchema>;

// ---- Competency codebook and supervision notes ----

export interface CompetencyView {
  id: string;
  name: string;
  description: string;
  retired: boolean;
}

export const createCompetencyBodySchema = z
  .object({ name: z.string().trim().min(1).max(60), description: z.string().trim().max(300).default('') })
  .strict();
export const updateCompetencyBodySchema = z
  .object({ name: z.string().trim().min(1).max(60).optional(), description: z.string().trim().max(300).optional(), retired: z.boolean().optional() })
  .strict();

/** The default codebook; stable slugs so every process seeds the same rows. */
export const DEFAULT_COMPETENCIES: Omit<CompetencyView, 'retired'>[] = [
  { id: 'interventions', name: 'Interventions', description: 'Choice, timing and delivery of interventions' },
  { id: 'process-commentary', name: 'Process commentary', description: 'Naming what happens between people in the room' },
  { id: 'countertransference', name: 'Countertransference', description: 'Noticing and using one’s own reactions' },
  { id: 'risk-handling', name: 'Risk handling', description: 'Assessing and responding to risk' },
  { id: 'alliance', name: 'Alliance', description: 'Building and repairing the working alliance' },
  { id: 'co-therapy', name: 'Co-therapy coordination', description: 'Sharing the lead, handing over, repairing between therapists' },
];

export const createSupervisionNoteBodySchema = z
  .object({
    body: z.string().trim().min(1).max(20_000),
    codes: z.array(z.string().min(1).max(64)).max(10).default([]),
    aboutId: z.uuid().nullable().optional(),
  })
  .strict();

export interface SupervisionNoteView {
  id: string;
  authorId: string;
  authorName: string;
  authorRole: 'supervisor' | 'therapist' | null;
  aboutId: string | null;
  aboutName: string | null;
  body: string;
  codes: { id: string; name: string }[];
  createdAt: string;
}

// ---- The dyad across sessions ----

/** One therapist's figures in one session. */
export interface TherapistSessionFigures {
  accountId: string;
  made: number;
  flaggedForOther: number;
  /** Of the flags this therapist raised, how many the other acknowledged / disputed / left open. */
  acknowledgedByOther: number;
  disputedByOther: number;
  unanswered: number;
  /** Median seconds from this therapist's flag to the other's answer (null: none answered). */
  medianAnswerSeconds: number | null;
  /**
   * Late entries this therapist wrote into the note after the session ended, counted as the review
   * and the exports label them (lateEntryLabels): words typed one after another are one entry.
   */
  lateEntries: number;
  byTag: Record<string, number>;
  byMember: Record<string, number>;
  /** Supervision codes received in this session (by code name). */
  codes: Record<string, number>;
}

export interface DyadSessionRow {
  sessionId: string;
  title: string;
  date: string;
  status: SessionStatus;
  returned: number;
  therapists: TherapistSessionFigures[];
}

export interface DyadRef {
  /** The two therapists, ordered by id; one for a therapist's own trend. */
  accountIds: string[];
  names: string[];
  sessions: number;
}

export interface DyadView {
  accountIds: string[];
  /** `color`: the person's account colour (#rrggbb), as their presence and words are drawn. */
  people: { id: string; name: string; color: string }[];
  rows: DyadSessionRow[];
  totals: Omit<TherapistSessionFigures, 'medianAnswerSeconds'>[];
}
