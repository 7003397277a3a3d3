import { z } from 'zod';

/** How far apart (seconds) two observations of the same member may be and still count as one moment. */
export const DEFAULT_WINDOW_SECONDS = 60;
export const concordanceQuerySchema = z
  .object({ window: z.coerce.number().int().min(5, 'at least 5 seconds').max(1800, 'at most 1800 seconds (30 minutes)').default(DEFAULT_WINDOW_SECONDS) })
  .strict();

/** One therapist's side of a moment. */
export interface ConcordanceSide {
  observationId: string;
  tags: { id: string; name: string; color: string }[];
  /** mm:ss into the session (server clock), null when the clock had not started. */
  offset: string | null;
  /** The words it tags, as the note now reads. */
  quote: string;
  /**
   * The other therapist's answer to it, when it was flagged for them and answered: "I saw it" says
   * they had seen that moment without tagging it (walk, 4 Dec: the review said they had nothing).
   */
  answer: { answer: 'acknowledged' | 'disputed'; note: string | null } | null;
}

/**
 * A moment: one observation of each therapist lined up (same member, and the same paragraph or
 * close enough in time), or one therapist's observation the other has nothing for.
 */
export interface ConcordanceMoment {
  kind: 'matched' | 'differentTags' | 'onlyA' | 'onlyB';
  member: string | null;
  /** When it happened: the earlier of the two server times (ISO 8601). */
  at: string;
  a: ConcordanceSide | null;
  b: ConcordanceSide | null;
  /** Whether the two observations tag words in the same paragraph of the note. */
  samePassage: boolean;
  /** Tags both applied, and tags only one of them applied (by tag id). */
  sharedTags: string[];
  onlyATags: string[];
  onlyBTags: string[];
}

/** A 2×2 table of yes/no decisions by therapist A and B over the same units, and Cohen's kappa on it. */
export interface Agreement {
  units: number;
  both: number;
  onlyA: number;
  onlyB: number;
  neither: number;
  /** Share of units both decided alike (0..1), null without units. */
  observed: number | null;
  /** Agreement expected by chance from each one's own rate (0..1), null without units. */
  expected: number | null;
  /** (observed − expected) / (1 − expected); null when undefined, with `undefinedReason` saying why. */
  kappa: number | null;
  undefinedReason: string | null;
  /** Landis & Koch's words for the kappa's size, null with no kappa. */
  strength: string | null;
}

export interface TagAgreement extends Agreement {
  tagId: string;
  name: string;
  color: string;
}

export interface ConcordanceView {
  sessionId: string;
  /** The two therapists compared (A: the first added to the session), or null when the session does not have two. */
  raters: { a: { accountId: string; name: string }; b: { accountId: string; name: string } } | null;
  /** Why nothing was compared (not two therapists; blind observations not yet revealed), else null. */
  unavailable: string | null;
  windowSeconds: number;
  /** The method and its unit of analysis, in words, for the page to show as it is. */
  method: string;
  counts: { matched: number; differentTags: number; onlyA: number; onlyB: number };
  moments: ConcordanceMoment[];
  perTag: TagAgreement[];
  /** Pooled over every tag used: the per-tag tables added up (one unit per moment and tag). */
  overall: Agreement;
}
