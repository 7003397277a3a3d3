import type * as Y from 'yjs';
import { OBSERVATIONS, RESPONSES, sessionDoc, stampKey } from '../../shared/ydoc/sessionDoc';
import type { AfterApply } from '../collab/writeGate';
import type { Logger } from '../log';
import type { Store } from '../persistence/ports';
import type { LiveEvents } from './LiveEvents';
import { notifyAll } from './notices';
import { followUpInOrder, followUpStoredStep } from '../services/afterStored';

type Deps = { store: Store; live: LiveEvents; log: Logger };

const therapistsOf = async (deps: Deps, sessionId: string) =>
  (await deps.store.sessions.members(sessionId)).filter((m) => m.role === 'therapist').map((m) => m.accountId);

/**
 * The notices of the flags just answered say so in every addressee's inbox, read: they read "Flag
 * for you" after the answer (walk, 6 Dec), and with three therapists one's answer left the other
 * addressee's notice counted unread, though nothing waited for them any more.
 */
async function answeredInInbox(deps: Deps, sessionId: string, flagIds: string[]): Promise<void> {
  const addressees = await therapistsOf(deps, sessionId);
  if ((await deps.store.notices.flagsAnswered(sessionId, addressees, flagIds, Date.now())) > 0) deps.live.toAccounts(addressees, { type: 'notices' });
}

/**
 * The notices of flags their author took back unanswered leave the inboxes: they went on saying
 * "Flag for you" of a flag the note no longer held, and A's loop of flagging and taking back put
 * one more unread notice in B's inbox each time, pushing B's other notices out of it (attack, 7 Dec).
 */
async function retractedFromInbox(deps: Deps, sessionId: string, flagIds: string[]): Promise<void> {
  if ((await deps.store.notices.flagsRetracted(sessionId, flagIds)) > 0) deps.live.toAccounts(await therapistsOf(deps, sessionId), { type: 'notices' });
}

/**
 * A flag for the co-therapist goes to their inbox too, and leaves it when they answer it in the
 * note (a clinic walk: the inbox still counted a flag acknowledged minutes before), or when its
 * author takes it back. Runs before `stampReceipt`: an observation without a receipt stamp yet is
 * new (a re-sent one is stamped already). Inboxes are written after the update, off its path, one
 * note's in the order of its updates (a flag taken back at once was otherwise deleted from the
 * inboxes before its notice was stored): a failed write is tried again, in its place, and the flag
 * or answer itself is not held back. Left failed, an answer's notice kept "Flag for you" for good.
 */
export function flagNotices(deps: Deps): AfterApply {
  const inboxWrites = new WeakMap<Y.Doc, Promise<void>>();
  const inOrder = (doc: Y.Doc, what: string, write: () => Promise<void>) => {
    inboxWrites.set(doc, (inboxWrites.get(doc) ?? Promise.resolve()).then(() => followUpInOrder(deps, what, write)));
  };
  return ({ conn, note, facts }) => {
    const { observations, stamps } = sessionDoc(note.doc);
    const author = conn.principal.accountId;
    const sessionId = note.session.id;
    // The write gate lets only the flag's addressee answer it (guards.ts), in her own name.
    const answered = facts.mapWrites.filter((w) => w.map === RESPONSES).map((w) => w.key);
    if (answered.length > 0) inOrder(note.doc, 'marking answered flags read in the inbox', () => answeredInInbox(deps, sessionId, answered));
    // And only its author takes back an observation, unanswered (guards.ts).
    const retracted = facts.mapDeletes.filter((d) => d.map === OBSERVATIONS && !observations.has(d.key)).map((d) => d.key);
    if (retracted.length > 0) inOrder(note.doc, 'taking flags taken back out of the inbox', () => retractedFromInbox(deps, sessionId, retracted));
    const flags = facts.mapWrites
      .filter((w) => w.map === OBSERVATIONS && !stamps.has(stampKey(OBSERVATIONS, w.key)))
      .map((w) => observations.get(w.key))
      .filter((o) => o !== undefined && o.forCoTherapist && o.authorId === author);
    if (flags.length === 0) return;
    const made = flags.map((flag) => ({ id: flag!.id, authorId: author }));
    inOrder(note.doc, 'storing a flag notice', () => storeFlagNotices(deps, sessionId, made));
  };
}

/**
 * Puts a notice of each flag in its author's co-therapists' inboxes (notifyAll leaves out the
 * author), all in one unit of work: tried again after a failure, none is stored twice (a notice
 * stored twice would ask twice).
 */
async function storeFlagNotices(deps: Deps, sessionId: string, flags: readonly { id: string; authorId: string }[]): Promise<void> {
  const therapists = await therapistsOf(deps, sessionId);
  await notifyAll(deps, sessionId, flags.map((flag) => ({ to: therapists, kind: 'flag', actorId: flag.authorId, refId: flag.id })));
}

/**
 * The notices of flags that entered the note at a blind session's reveal (learning/reveal.ts): a
 * flag written privately for the co-therapist reached the note and no inbox, since the merge is
 * the server's update, not a therapist's (walk notes, 7 Dec). Stored as a therapist's flag is,
 * after the reveal is stored; a failure is tried again on the timer (followUpStoredStep).
 */
export function revealedFlagNotices(deps: Deps, sessionId: string, flags: { id: string; authorId: string }[]): Promise<void> {
  return flags.length === 0 ? Promise.resolve() : followUpStoredStep(deps, 'storing the notices of revealed flags', () => storeFlagNotices(deps, sessionId, flags));
}
