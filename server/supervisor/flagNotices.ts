import { OBSERVATIONS, sessionDoc, stampKey } from '../../shared/ydoc/sessionDoc';
import type { AfterApply } from '../collab/writeGate';
import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { LiveEvents } from './LiveEvents';
import { notify } from './notices';

/**
 * A flag for the co-therapist goes to their inbox too. Runs before `stampReceipt`: an observation
 * without a receipt stamp yet is new (a re-sent one is stamped already). The notice is written
 * after the update, off its path: a failure is logged and the flag itself is not held back.
 */
export function flagNotices(deps: { store: Store; live: LiveEvents; log: Logger }): AfterApply {
  return ({ conn, note, facts }) => {
    const { observations, stamps } = sessionDoc(note.doc);
    const author = conn.principal.accountId;
    const flags = facts.mapWrites
      .filter((w) => w.map === OBSERVATIONS && !stamps.has(stampKey(OBSERVATIONS, w.key)))
      .map((w) => observations.get(w.key))
      .filter((o) => o !== undefined && o.forCoTherapist && o.authorId === author);
    if (flags.length === 0) return;
    const sessionId = note.session.id;
    void (async () => {
      const others = (await deps.store.sessions.members(sessionId)).filter((m) => m.role === 'therapist' && m.accountId !== author).map((m) => m.accountId);
      for (const flag of flags) await notify(deps, others, { kind: 'flag', sessionId, actorId: author, refId: flag!.id });
    })().catch((err: unknown) => deps.log.warn('a flag notice could not be stored', { err, sessionId }));
  };
}
