import { OBSERVATIONS, RESPONSES, sessionDoc, stampKey } from '../../shared/ydoc/sessionDoc';
import type { AfterApply } from '../collab/writeGate';
import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { LiveEvents } from './LiveEvents';
import { notify } from './notices';

type Deps = { store: Store; live: LiveEvents; log: Logger };

/**
 * The notices of the flags just answered say so in every addressee's inbox, read: they read "Flag
 * for you" after the answer (walk, 6 Dec), and with three therapists one's answer left the other
 * addressee's notice counted unread, though nothing waited for them any more.
 */
async function answeredInInbox(deps: Deps, sessionId: string, flagIds: string[]): Promise<void> {
  const addressees = (await deps.store.sessions.members(sessionId)).filter((m) => m.role === 'therapist').map((m) => m.accountId);
  if ((await deps.store.notices.flagsAnswered(sessionId, addressees, flagIds, Date.now())) > 0) deps.live.toAccounts(addressees, { type: 'notices' });
}

/**
 * A flag for the co-therapist goes to their inbox too, and leaves it when they answer it in the
 * note (a clinic walk: the inbox still counted a flag acknowledged minutes before). Runs before
 * `stampReceipt`: an observation without a receipt stamp yet is new (a re-sent one is stamped
 * already). Inboxes are written after the update, off its path: a failure is logged and the
 * flag or answer itself is not held back.
 */
export function flagNotices(deps: Deps): AfterApply {
  return ({ conn, note, facts }) => {
    const { observations, stamps } = sessionDoc(note.doc);
    const author = conn.principal.accountId;
    // The write gate lets only the flag's addressee answer it (guards.ts), in her own name.
    const answered = facts.mapWrites.filter((w) => w.map === RESPONSES).map((w) => w.key);
    if (answered.length > 0) {
      answeredInInbox(deps, note.session.id, answered).catch((err: unknown) => deps.log.warn('answered flags could not be marked read in the inbox', { err, sessionId: note.session.id }));
    }
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
