import { z } from 'zod';

/** A group member's pseudonymous label: initials or M1..Mn, never a name. */
export const memberLabelSchema = z.string().trim().regex(/^[A-Za-z0-9]{1,4}$/, 'use initials or a short code such as M3');

/**
 * An observation as stored in the note's `observations` map (key = id). Written once by its
 * author; the server checks that `authorId` is the account of the connection that wrote it.
 */
export const observationSchema = z
  .object({
    id: z.uuid(),
    tags: z.array(z.string().min(1).max(64)).min(1).max(5),
    authorId: z.uuid(),
    /** Wall time (ms) on the author's device, as the device claims it. Shown nowhere: the server stamps when it received the observation (`stamps` in the Y.Doc). */
    createdAt: z.number().int().positive(),
    kind: z.enum(['span', 'line']),
    member: memberLabelSchema.nullable(),
    forCoTherapist: z.boolean(),
  })
  .strict();
export type Observation = z.infer<typeof observationSchema>;

/** The flagged therapist's answer to a flag, in the `responses` map (key = observation id). */
export const flagResponseSchema = z
  .object({
    by: z.uuid(),
    at: z.number().int().positive(),
    answer: z.enum(['acknowledged', 'disputed']),
    note: z.string().max(500).nullable(),
  })
  .strict();
export type FlagResponse = z.infer<typeof flagResponseSchema>;

/**
 * An answer as the flagged therapist gave it, in the words of its button. "Disputed", the stored
 * name, read to a supervisor as a rejected observation where the therapist had said she saw it too
 * (walk, 4 Dec): the exports, the Pairs page and its CSV say the button's words.
 */
export const answerWords: Record<FlagResponse['answer'], string> = { acknowledged: '“I missed that”', disputed: '“I saw it”' };

/** A range of the note written after the session ended, recorded by the server. */
export const lateEntrySchema = z.object({ accountId: z.string(), at: z.number(), client: z.number(), clock: z.number(), len: z.number() }).strict();
export type LateEntry = z.infer<typeof lateEntrySchema>;

/**
 * When the server received an observation or an answer: wall time (ms, server clock), the
 * session-clock offset (ms since the session started, null before it started), and whether it
 * came after the session ended. Written by the server only.
 */
export const serverStampSchema = z.object({ at: z.number(), offsetMs: z.number().nullable(), late: z.boolean() }).strict();
export type ServerStamp = z.infer<typeof serverStampSchema>;

/** mm:ss (or h:mm:ss) into the session. */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/**
 * A session's length as a person says it: "48 min", "1 h 05 min", "under a minute". A clock's
 * "11:12" read as a time of day, or as hours and minutes (walk, 6 Dec: "Lasted 11:12").
 */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes === 0) return 'under a minute';
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}
