/**
 * Words the server never stored that a page of a note shows to copy back or put back, kept in this
 * browser's localStorage (one key per account and note) until the person answers the notice: the
 * unsaved words a reload of the note dropped (useCollabDoc), and my risk saves another's replaced
 * (useReplacedRiskSaves). Held in the page alone, a reload of the browser tab or a closed tab lost
 * them without a trace (walk, 5 Dec). Like a copy of a note holding unconfirmed edits, they are
 * not cleared at logout: they are the only place those words are. Reading never throws: storage
 * that cannot be read, or a record that does not parse, is nothing kept.
 */
import { z } from 'zod';
import { riskEntrySchema } from '../../shared/domain/risk';

const keptSchema = z.object({
  /** What a reload of the note dropped that the server had not stored, and whether the device's client id was taken. */
  unsavedOnReload: z.object({ text: z.string(), idTaken: z.boolean() }).nullable().default(null),
  /** My replaced risk records, by member label. */
  replacedRisk: z.record(z.string(), riskEntrySchema).default({}),
});
export type KeptWords = z.infer<typeof keptSchema>;

const keyOf = (accountId: string, sessionId: string) => `tandem-kept:${accountId}:${sessionId}`;
const NOTHING: KeptWords = { unsavedOnReload: null, replacedRisk: {} };

export function readKeptWords(accountId: string, sessionId: string): KeptWords {
  try {
    const raw = window.localStorage.getItem(keyOf(accountId, sessionId));
    return raw === null ? NOTHING : (keptSchema.safeParse(JSON.parse(raw)).data ?? NOTHING);
  } catch {
    return NOTHING;
  }
}

/**
 * Replaces one part of what is kept for the note (the rest stays). False when the browser would
 * not store it (full, or storage off): the page then still shows the words, for this load only.
 */
export function keepWords(accountId: string, sessionId: string, change: Partial<KeptWords>): boolean {
  const next = { ...readKeptWords(accountId, sessionId), ...change };
  try {
    const empty = next.unsavedOnReload === null && Object.keys(next.replacedRisk).length === 0;
    if (empty) window.localStorage.removeItem(keyOf(accountId, sessionId));
    else window.localStorage.setItem(keyOf(accountId, sessionId), JSON.stringify(next));
    return true;
  } catch {
    return false;
  }
}
