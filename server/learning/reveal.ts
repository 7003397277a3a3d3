import * as Y from 'yjs';
import { blindAnchorSchema } from '../../shared/domain/blind';
import { ALLOWED_FROM, isLocked } from '../../shared/domain/lifecycle';
import { observationSchema } from '../../shared/domain/observation';
import { lineLabel } from '../../shared/note/lineWords';
import { audited } from '../audit/audited';
import { conflict } from '../domain/errors';
import type { ServiceDeps } from '../services/deps';
import type { SessionRecord } from '../persistence/ports';
import { StaleWriteError } from '../persistence/storageBoundary';
import type { PrivateItem } from './mergePrivate';
import type { LiveEvents } from '../supervisor/LiveEvents';
import { revealedFlagNotices } from '../supervisor/flagNotices';

export type RevealDeps = Pick<ServiceDeps, 'store' | 'collab' | 'access' | 'log' | 'blind' | 'notes'> & { live: LiveEvents };

type Outcome = { merged: number; unanchored: number };


/**
 * Merges every private observation of a blind session into the note, once: the first caller to
 * mark the session revealed (compare-and-set in storage, so two processes cannot both merge) does
 * it; later callers get null. The mark and its audit record (what triggered it, how many
 * observations each author had, how many were merged) are one unit of work, stored before the
 * note changes: the merge is worked out on a copy of the note first, and what the record counts is
 * exactly what then enters the note. The update that merges them is stored in the same unit of
 * work, appended to the note's log: a process that dies before the live note stores it again
 * leaves a note that holds them (a mark stored without them left them shown nowhere). If any of
 * it cannot be stored, the session stays blind and the note unchanged, so Reveal can be tried again.
 * A private observation stored while the merge was worked out makes the mark stale: the merge is
 * worked out again with it (one stored after the mark is refused: addBlindObservation).
 * `passed`: whose press a reveal by presses did not wait for (revealConsent.ts: account changed,
 * taken off the session), by account id, named in its audit record.
 */
export async function revealBlind(deps: RevealDeps, session: SessionRecord, actorId: string, trigger: 'both_pressed' | 'session_ended', passed: Passed = {}): Promise<Outcome | null> {
  const named = Object.fromEntries(Object.entries(passed).filter(([, ids]) => ids.length > 0));
  for (let attempt = 1; ; attempt++) {
    const result = await revealOnce(deps, session, actorId, { trigger, ...named });
    if (result !== 'again') return result;
    // Each author's observations are bounded, so this ends; the bound keeps a fault from looping.
    // Said as what it is, not a 500 (attack, 4 Dec: a co-therapist posting without pause held it).
    if (attempt === REVEAL_ATTEMPTS) throw conflict('reveal_busy', `Private observations kept arriving while the reveal was worked out ${REVEAL_ATTEMPTS} times, so nothing was revealed yet; press Reveal again in a moment.`);
  }
}

/** Merges worked out before a reveal gives up (each one was overtaken by a new private observation). */
const REVEAL_ATTEMPTS = 20;

/** Those whose press a reveal did not wait for, by why (revealConsent.ts). */
type Passed = { notWaitedFor?: string[]; takenOff?: string[] };

/** Why the reveal happened, for its audit record, with those whose press it did not wait for. */
type RevealCause = { trigger: 'both_pressed' | 'session_ended' } & Passed;

/** One attempt of revealBlind: `again` when an observation was stored while the merge was worked out. */
async function revealOnce(deps: RevealDeps, session: SessionRecord, actorId: string, cause: RevealCause): Promise<Outcome | null | 'again'> {
  const setting = await deps.store.learning.blindSetting(session.id);
  if (!setting?.enabled || setting.revealedAt !== null) return null;
  const tagNames = new Map((await deps.store.tags.list()).map((t) => [t.id, t.name]));
  const stored = await deps.store.learning.blindObservations(session.id);
  const items: PrivateItem[] = stored.map((o) => {
    const record = observationSchema.parse(JSON.parse(o.record));
    return {
      record,
      anchor: blindAnchorSchema.parse(JSON.parse(o.anchor)),
      stamp: { at: o.receivedAt, offsetMs: o.offsetMs, late: o.late },
      label: lineLabel(record.tags.map((t) => tagNames.get(t) ?? t), record.member),
    };
  });
  const byAuthor: Record<string, number> = {};
  for (const o of stored) byAuthor[o.authorId] = (byAuthor[o.authorId] ?? 0) + 1;
  /** Marks the session revealed with its merge and audit record; false when it was not (revealed meanwhile, or another observation came). */
  const markRevealed = async (outcome: Outcome, merge: Uint8Array | null): Promise<boolean> => {
    const now = Date.now();
    try {
      await deps.store.commit([
        { kind: 'revealed', sessionId: session.id, at: now, merge: merge && { at: now, data: merge, accountId: null }, observations: stored.length },
        audited({ actorId, action: 'blind_revealed', sessionId: session.id, detail: { ...cause, ...outcome, byAuthor } }, now),
      ]);
    } catch (err) {
      if (err instanceof StaleWriteError) return false;
      throw err;
    }
    deps.blind.set(session.id, false);
    return true;
  };
  // A signed note takes nothing more: the session is marked revealed and nothing merged.
  const nothing: Outcome = { merged: 0, unanchored: 0 };
  const result = isLocked(session.status)
    ? ((await markRevealed(nothing, null)) ? nothing : null)
    : await deps.collab.withNote(session, async (note) => {
        // Worked out on the note-reading thread, on a copy of the note as it is now: on the event
        // loop, 2,000 observations of each therapist held it for 4.7 s (attack, 2 Dec).
        const { update, outcome } = await deps.notes.read([Y.encodeStateAsUpdate(note.doc)], 'blindMerge', items);
        if (!(await markRevealed(outcome, outcome.merged > 0 ? update : null))) return null;
        note.transactLocal(() => Y.applyUpdate(note.doc, update));
        return outcome;
      });
  if (!result) return (await deps.store.learning.blindSetting(session.id))?.revealedAt == null ? 'again' : null;
  // Other processes learn of the reveal when their copies reconnect (the same way a lifecycle step travels).
  deps.access.sessionChanged(session.id, 'blind observations revealed');
  if (result.merged > 0) await revealedFlagNotices(deps, session.id, items.filter((i) => i.record.forCoTherapist).map((i) => ({ id: i.record.id, authorId: i.record.authorId })));
  return result;
}

/**
 * Before a signature: a blind session whose reveal at the end failed (the store or the reading
 * thread busy) still holds private observations outside the note, and a lock would leave them
 * out of the record for good (attack, 4 Dec). They are merged now, and the signer is sent back to
 * read them (409 `observations_revealed`).
 */
export async function revealBeforeSigning(deps: RevealDeps, session: SessionRecord, actorId: string): Promise<void> {
  // Only where a signature may follow (the session has ended): on a live session it revealed what
  // the pair keeps private until both press Reveal (attack, 4 Dec); signing then says wrong state.
  if (!ALLOWED_FROM.sign.includes(session.status)) return;
  const revealed = await revealBlind(deps, session, actorId, 'session_ended');
  if (revealed && revealed.merged > 0) {
    throw conflict('observations_revealed', 'The private observations of this blind session were merged into the note just now. Read them, then sign.');
  }
}
