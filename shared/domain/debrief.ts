import { z } from 'zod';

/**
 * The co-therapists' huddle (before the session) and debrief (after it): training material for the
 * pair and their supervisor, kept apart from the clinical record (never in the note, its digest,
 * exports or replay).
 */
export const debriefFields = [
  { id: 'plan', part: 'huddle', label: 'Plan for the session' },
  { id: 'leads', part: 'huddle', label: 'Who leads what' },
  { id: 'watchFor', part: 'huddle', label: 'What to watch for' },
  { id: 'noticedA', part: 'debrief', label: 'What {a} noticed', writer: 'a' },
  { id: 'noticedB', part: 'debrief', label: 'What {b} noticed', writer: 'b' },
  { id: 'disagreements', part: 'debrief', label: 'Talking through where you differed' },
  { id: 'checkIn', part: 'debrief', label: 'How we worked together (check-in)' },
] as const;
/*
 * `writer`: a field named for one therapist is that therapist's own account, written by them alone
 * (attack, 6 Dec: B filled "What A noticed" with his words, and only "Saved by B" told). The pair
 * writes the debrief together in the shared fields; where they saw it differently has its own.
 */
export type DebriefFieldId = (typeof debriefFields)[number]['id'];

export const MAX_DEBRIEF_CHARS = 5000;

export const debriefFieldParamSchema = z.object({
  id: z.uuid(),
  field: z.enum(debriefFields.map((f) => f.id) as [DebriefFieldId, ...DebriefFieldId[]]),
});
/** `baseVersion`: the version the writer's text was based on (0 before the first save). */
export const saveDebriefBodySchema = z.object({ body: z.string().max(MAX_DEBRIEF_CHARS), baseVersion: z.number().int().min(0) }).strict();

/** A version of a field that a later save replaced: kept, and shown with who saved it and when. */
export interface DebriefVersionView {
  version: number;
  body: string;
  savedBy: string;
  savedByName: string;
  savedAt: string;
}

export interface DebriefFieldView {
  field: DebriefFieldId;
  body: string;
  version: number;
  updatedBy: string | null;
  updatedByName: string | null;
  updatedAt: string | null;
  /** Whether the caller may save this field (a therapist; for a field named for one, that one). */
  canEdit: boolean;
  /** The versions before the current one, newest first. */
  earlier: DebriefVersionView[];
}

export interface DebriefView {
  sessionId: string;
  /**
   * Whose own account "What A noticed" (`a`) and "What B noticed" (`b`) are: the therapist who first
   * saved it; one nobody saved yet, a therapist of the pair (A added first) who owns neither; null
   * when it is nobody's and the session has no pair.
   */
  raters: { a: { accountId: string; name: string } | null; b: { accountId: string; name: string } | null };
  /** Every field, saved or not (an unsaved one is empty with version 0). */
  fields: DebriefFieldView[];
  canEdit: boolean;
}
