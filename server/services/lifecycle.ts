import { ALLOWED_FROM, isLocked } from '../../shared/domain/lifecycle';
import type { SessionStatus } from '../../shared/domain/session';
import type { ServiceDeps } from './deps';
import { conflict } from '../domain/errors';
import type { AuditAction } from '../../shared/domain/audit';
import type { AtomicWrite, SessionEventKind, SessionPatch, SessionRecord } from '../persistence/ports';
import { StaleWriteError } from '../persistence/storageBoundary';
import { followAgain } from '../members/followingMembers';
import { noteWriters } from './membership';
import { assertNoRemovedAuthor } from './removedAuthors';
import { signingState } from './signingState';
import { followUpStoredStep, readAfterStored } from './afterStored';

type Deps = Pick<ServiceDeps, 'store' | 'collab' | 'access' | 'log' | 'notes'>;

const wrongState = (action: string, status: SessionStatus, allowed: SessionStatus[]) =>
  conflict('wrong_state', `Cannot ${action} a session that is ${status}; it must be ${allowed.join(' or ')}.`);

/** The stored note's digest, after everything this process holds for it is stored. */
export function storedDigest(deps: Pick<ServiceDeps, 'notes'>, sessionId: string): Promise<string> {
  return deps.notes.readStored(sessionId, 'digest', undefined);
}

/**
 * Tells open connections that the session changed. Connections are closed with AccessChanged, so
 * clients reconnect and every process picks up the new status at the upgrade (where it is read
 * fresh); that is what makes a lock hold on every process, not only this one.
 */
async function announce(deps: Deps, session: SessionRecord): Promise<void> {
  deps.collab.updateSession(session);
  deps.access.sessionChanged(session.id, `session is now ${session.status}`);
}

/**
 * Moves the session to its next status, with what goes with the step (its lifecycle event, its
 * audit record) in one unit of work: a step is stored with its record or not at all. `committed`
 * runs once it is stored, before every socket is told to reconnect (one removed by the step is
 * told so first, 4403, not sent to reconnect).
 */
async function move(deps: Deps, session: SessionRecord, action: keyof typeof ALLOWED_FROM, patch: SessionPatch, with_: AtomicWrite[], committed?: () => void, fromVersion?: number): Promise<SessionRecord> {
  const allowed = ALLOWED_FROM[action];
  if (!allowed.includes(session.status)) throw wrongState(action, session.status, allowed);
  try {
    await deps.store.commit([{ kind: 'session', id: session.id, patch, fromStatuses: allowed, ...(fromVersion === undefined ? {} : { fromVersion }) }, ...with_]);
  } catch (err) {
    if (err instanceof StaleWriteError) throw conflict('wrong_state', 'The session changed meanwhile; reload and try again.');
    throw err;
  }
  committed?.();
  // Stored, the step stands: a read of it failing now (the connection lost just after the COMMIT)
  // answered it as not done and left the open copies unlocked (fault attack, 6 Dec: a lock that
  // stood, its signer told 503). The session is then announced as the step made it.
  const updated = await readAfterStored(deps, 'reading the session', () => deps.store.sessions.byId(session.id), () => null)
    ?? { ...session, ...patch, version: session.version + 1 };
  await announce(deps, updated);
  return updated;
}

const event = (session: SessionRecord, at: number, actorId: string, kind: SessionEventKind, digest: string | null = null, reason: string | null = null): AtomicWrite =>
  ({ kind: 'event', event: { sessionId: session.id, at, actorId, kind, digest, reason } });
const audited = (session: SessionRecord, at: number, actorId: string, action: AuditAction, detail: Record<string, unknown> = {}): AtomicWrite =>
  ({ kind: 'audit', entry: { at, actorId, action, sessionId: session.id, detail } });

export async function startSession(deps: Deps, session: SessionRecord, actorId: string): Promise<SessionRecord> {
  const now = Date.now();
  return move(deps, session, 'start', { status: 'live', startedAt: now }, [event(session, now, actorId, 'started'), audited(session, now, actorId, 'session_started')]);
}

/** Ends the session; `with_` (e.g. the attendance a group session ends with) is stored in the same unit of work, or none of it is. */
export async function endSession(deps: Deps, session: SessionRecord, actorId: string, with_: AtomicWrite[] = []): Promise<SessionRecord> {
  const now = Date.now();
  return move(deps, session, 'end', { status: 'ended', endedAt: now }, [event(session, now, actorId, 'ended'), audited(session, now, actorId, 'session_ended'), ...with_]);
}

export interface SignResult {
  session: SessionRecord;
  digest: string;
  locked: boolean;
  /** Therapists whose signature is missing or was given to different content. */
  waitingFor: string[];
}

/**
 * A therapist signs the note as it is stored now. The note locks when every therapist of the
 * session has signed the same content. The lock is then checked once more against storage: if an
 * edit slipped in while locking, the lock is undone and the signers are asked to sign again.
 * `seen`, the digest of the note on the signer's screen, must be the stored note's: a page whose
 * copy differs (not saved yet, or shown something the record does not hold) does not sign.
 */
export async function signSession(deps: Deps, session: SessionRecord, actorId: string, seen?: string): Promise<SignResult> {
  if (!ALLOWED_FROM.sign.includes(session.status)) throw wrongState('sign', session.status, ALLOWED_FROM.sign);
  const digest = await storedDigest(deps, session.id);
  await assertNoRemovedAuthor(deps, session.id);
  if (seen !== undefined && seen !== digest) {
    // Said as what happens most: the co-therapist's words arriving as one signs ("wait until it says
    // Saved" misled a therapist whose page said Saved already: walk, 4 Dec).
    throw conflict('note_differs', 'The note changed as you signed it (your co-therapist may be writing, or your own last words were not saved yet), so it was not signed. Read it as it is now, then sign again.');
  }
  // Only signatures given to the attendance and labels as they stand now count.
  // Read before the change time: a change stored after it bumps the version, and the lock below is not made.
  const version = (await deps.store.sessions.byId(session.id))?.version ?? session.version;
  const { awaited: therapists, counted: round } = await signingState(deps.store, session);
  const signedBefore = round.some((e) => e.actorId === actorId && e.digest === digest);
  const now = Date.now();
  const signedNow = [...round, { actorId, digest }];
  const waitingFor = therapists.filter((t) => !signedNow.some((e) => e.actorId === t && e.digest === digest));
  // Signed already, and every therapist has now (one waited for was removed since): the signature
  // given stands and the note locks. Refused as signed, the note stayed unlocked for good (attack, 4 Dec).
  if (signedBefore && waitingFor.length > 0) throw conflict('already_signed', 'You have already signed the note as it stands.');
  const signature: AtomicWrite[] = signedBefore ? [] : [event(session, now, actorId, 'signed', digest)];
  if (waitingFor.length > 0) {
    await deps.store.commit([...signature, audited(session, now, actorId, 'session_signed', { digest, locked: false })]);
    return { session, digest, locked: false, waitingFor };
  }

  const locked = await move(deps, { ...session, version }, 'sign', { status: 'signed' }, [...signature, audited(session, now, actorId, 'session_signed', { digest, locked: true })], undefined, version);
  const held = await storedDigest(deps, session.id).catch((err: unknown) => {
    // The lock is stored and stands until the check is done: answering 503 told its signer it was
    // not made (fault attack, 7 Dec: the note read just after the lock's COMMIT, its connection reset).
    // The check is made again on a timer, guarded by the lock's version (a later lock is not undone).
    deps.log.warn('checking a lock against the stored note failed; it stands, and is checked again', { err, sessionId: session.id });
    void followUpStoredStep(deps, 'checking a lock against the stored note', async () => {
      if ((await storedDigest(deps, session.id)) !== digest) await undoLock(deps, locked, actorId, locked.version);
    });
    return null;
  });
  if (held !== null && held !== digest) {
    await undoLock(deps, locked, actorId);
    throw conflict('note_changed', 'The note changed while it was being signed. Review it and sign again.');
  }
  return { session: locked, digest, locked: true, waitingFor: [] };
}

/**
 * Undoes a lock whose note is not the one signed (an edit stored between the signature's read of
 * the note and the lock: another process's), as a return, and tells the open copies. `fromVersion`:
 * only if the session is still as the lock left it (a check made late must not undo a later
 * lock); without it, while it is `signed`. Moved on meanwhile, that move stands, undone by nobody.
 */
async function undoLock(deps: Deps, locked: SessionRecord, actorId: string, fromVersion?: number): Promise<void> {
  const at = Date.now();
  const undone = await deps.store
    .commit([
      { kind: 'session', id: locked.id, patch: { status: 'ended' }, fromStatuses: ['signed'], ...(fromVersion === undefined ? {} : { fromVersion }) },
      event(locked, at, actorId, 'returned', null, 'The note changed while it was being locked; sign again.'),
      audited(locked, at, actorId, 'session_returned', { cause: 'note_changed_while_locking' }),
    ])
    .then(() => true)
    .catch((err: unknown) => {
      if (!(err instanceof StaleWriteError)) throw err;
      return false;
    });
  const now = await readAfterStored(deps, 'reading the session', () => deps.store.sessions.byId(locked.id), () => null);
  await announce(deps, now ?? (undone ? { ...locked, status: 'ended', version: locked.version + 1 } : locked));
}

export async function cosignSession(deps: Deps, session: SessionRecord, actorId: string): Promise<{ session: SessionRecord; digest: string }> {
  if (!isLocked(session.status) || session.status !== 'signed') throw wrongState('co-sign', session.status, ALLOWED_FROM.cosign);
  const digest = await storedDigest(deps, session.id);
  const now = Date.now();
  const updated = await move(deps, session, 'cosign', { status: 'reviewed' }, [event(session, now, actorId, 'cosigned', digest), audited(session, now, actorId, 'session_cosigned', { digest })]);
  return { session: updated, digest };
}

/** Returns a note for revision; a member note's members follow its group session's again (members/followingMembers.ts). */
export async function returnSession(deps: Deps, session: SessionRecord, actorId: string, reason: string): Promise<SessionRecord> {
  const now = Date.now();
  const follow = await followAgain(deps.store, session, await noteWriters(deps, session.id), actorId);
  return move(deps, session, 'return', { status: 'ended' }, [event(session, now, actorId, 'returned', null, reason), audited(session, now, actorId, 'session_returned'), ...follow.writes], () => {
    for (const accountId of follow.removed) deps.access.memberRemoved(session.id, accountId);
    for (const accountId of follow.roleChanged) deps.access.memberRoleChanged(session.id, accountId);
  });
}
