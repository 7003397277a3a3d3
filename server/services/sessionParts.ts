import { sessionParts } from '../../shared/domain/sessionParts';
import { conflict } from '../domain/errors';
import type { Store } from '../persistence/ports';

/** The parts a request may be refused for, with the refusal's words. */
const REFUSAL = {
  pairLearning: 'The huddle, debrief and concordance belong to the group session the pair ran, not to one member’s note: open them from the group note.',
  blind: 'Blind mode belongs to the group session the pair ran, not to one member’s note: open it from the group note.',
  processNotes: 'Process notes belong to the group session, not to one member’s note: start them from the group note.',
} as const;

/**
 * Refuses a request for a part of a session's page (shared/domain/sessionParts.ts) that one
 * member's note does not have, before it reads or writes anything of it: 409 `member_note`. Its
 * page never asks, but the server answered a debrief of "Tuesday group — M1" and stored one that
 * no page shows (attack notes, 7 Dec). Process notes never get here: their session answers none of
 * the record's routes (routes/processNotes.ts, RECORD_PATH).
 */
export async function assertPart(store: Pick<Store, 'memberNotes'>, sessionId: string, part: keyof typeof REFUSAL): Promise<void> {
  const link = await store.memberNotes.groupOf(sessionId);
  if (sessionParts({ groupSessionId: link?.groupSessionId ?? null, processNoteOf: null })[part]) return;
  throw conflict('member_note', REFUSAL[part]);
}
