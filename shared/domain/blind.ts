import { z } from 'zod';
import { memberLabelSchema } from './observation';

export const setBlindBodySchema = z.object({ enabled: z.boolean() }).strict();

/** A Yjs relative position (`Y.encodeRelativePosition`), base64. */
const relativePosition = z.string().min(4).max(400).regex(/^[A-Za-z0-9+/]+=*$/, 'a base64 Yjs relative position');

/**
 * Where a private observation sits in the shared note, kept as Yjs relative positions so it moves
 * with the text both therapists go on writing: a span's first character and its end, or the place
 * a tagged line's marker goes. Nothing of it is in the shared note until the reveal.
 */
export const blindAnchorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('span'), from: relativePosition, to: relativePosition }).strict(),
  z.object({ kind: z.literal('line'), at: relativePosition }).strict(),
]);
export type BlindAnchor = z.infer<typeof blindAnchorSchema>;

/** A private observation as the author's client sends it (author, id and times are the server's). */
export const newBlindObservationSchema = z
  .object({
    tags: z.array(z.string().min(1).max(64)).min(1).max(5),
    member: memberLabelSchema.nullable(),
    forCoTherapist: z.boolean(),
    anchor: blindAnchorSchema,
  })
  .strict();

export interface PrivateObservationView {
  id: string;
  tags: { id: string; name: string; color: string }[];
  member: string | null;
  forCoTherapist: boolean;
  kind: 'span' | 'line';
  /** The words it tags as the note reads now ('' for a line, or when they were removed). */
  quote: string;
  /** Server time it was received (ISO) and mm:ss into the session. */
  at: string;
  offset: string | null;
  /** The anchor, for the author's editor to show where it sits. */
  anchor: BlindAnchor;
}

export interface BlindStateView {
  enabled: boolean;
  /** When the private observations were merged into the note (ISO), null before. */
  revealedAt: string | null;
  /** Who has pressed Reveal (the reveal waits for both therapists, or for the end of the session). */
  revealRequests: { accountId: string; name: string; at: string }[];
  /** Whether the setting can still change (only before the session starts). */
  canChange: boolean;
}
