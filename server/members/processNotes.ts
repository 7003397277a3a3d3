import { randomUUID } from 'node:crypto';
import type { Authenticated } from '../auth/logins';
import type { Actor } from '../auth/policies';
import { sessionsReadBy } from '../services/readableSessions';
import { templateUpdate } from '../collab/template';
import type { ServiceDeps } from '../services/deps';
import { notFound, conflict } from '../domain/errors';
import type { RemovedProcessNoteView } from '../../shared/domain/processNote';
import type { AtomicWrite, MemberRecord, ProcessNoteRecord, SessionRecord, Store } from '../persistence/ports';
import { audited } from '../audit/audited';
import { holdingMembers } from '../services/memberGrants';
import { assertPart } from '../services/sessionParts';
import { askers, judgedAtVersion, otherKeepers, type JudgedCommit } from './processNoteAsks';

type Deps = Pick<ServiceDeps, 'store' | 'collab' | 'access' | 'log'>;

/**
 * The sessions of the record an account may read (sessionsReadBy): process notes, which are
 * sessions of their own but not part of the record, are left out (no queue, no trend, no listing
 * counts them).
 */
export async function recordSessionsOf(store: Pick<Store, 'sessions' | 'memberNotes'>, account: Actor & { id: string }): Promise<SessionRecord[]> {
  const sessions = await sessionsReadBy(store, account);
  const process = await Promise.all(sessions.map((s) => store.memberNotes.processNote(s.id, 'process')));
  return sessions.filter((_, i) => process[i] === null);
}


type Asked = SessionRecord & { myMembership: MemberRecord };

/**
 * The session's process notes as their keeper may change them: a therapist of the notes' own
 * session (those of the session when they were made, see followingMembers.ts). Anyone else,
 * a therapist added to the session since among them, is told there are none (404), as if they
 * did not exist. Removed notes are gone for everyone.
 */
export async function keptProcessNote(deps: Deps, session: Asked): Promise<ProcessNoteRecord> {
  const found = await notesWithRole(deps, session);
  if (found?.role !== 'therapist') throw notFound('The process notes');
  return found.note;
}

/** The session's process notes (not removed), and the role the asker holds in their own session (null: none). */
async function notesWithRole(deps: Deps, session: Asked): Promise<{ note: ProcessNoteRecord; role: MemberRecord['role'] | null } | null> {
  const note = await deps.store.memberNotes.processNote(session.id, 'session');
  if (!note || note.removedAt !== null) return null;
  return { note, role: (await deps.store.sessions.member(note.processSessionId, session.myMembership.accountId))?.role ?? null };
}

/**
 * When the session's process notes were removed, told to a therapist of the session (who would be
 * refused, 409, were they to start them again: the page offered "Start process notes" after the
 * removal, and its press answered 409: walk, 6 Dec); null when they were not, or to anyone else.
 */
export async function removedProcessNote(deps: Deps, session: Asked): Promise<RemovedProcessNoteView | null> {
  if (session.myMembership.role !== 'therapist') return null;
  const note = await deps.store.memberNotes.processNote(session.id, 'session');
  return note?.removedAt ? { removedAt: new Date(note.removedAt).toISOString() } : null;
}

/**
 * The same, null where visibleProcessNote throws: none, removed, and not shared with this member
 * look alike, in the answer, its time and what it writes (nothing), so it tells a supervisor
 * nothing about notes they may not see. Every session page asks, so asking is no attempt to open
 * them: that is the websocket to the process note's own session, audited by the upgrade. (An
 * attacker timed the audit write this once made for "not shared", and every supervisor opening a
 * session was recorded as refused.)
 */
export async function processNoteIfVisible(deps: Deps, session: Asked): Promise<ProcessNoteRecord | null> {
  // Those who may open them are the members of their own session (keepers; supervisors shared with), not the session's.
  const found = await notesWithRole(deps, session);
  return found?.role ? found.note : null;
}

/**
 * Creates the session's process notes: a document of its own, kept as a session record whose only
 * members are the session's therapists (so the websocket, the access list and the audit of every
 * opening work as for a note, and nobody else can open it before any byte is sent).
 */
export async function createProcessNote(deps: Deps, session: SessionRecord, auth: Authenticated, retainDays: number | null): Promise<{ note: ProcessNoteRecord; created: boolean }> {
  if (await deps.store.memberNotes.processNote(session.id, 'process')) throw conflict('process_note', 'Process notes have no process notes of their own.');
  // A member note is one member's record, derived from its group note; the pair's process notes are
  // the group session's (walk, 6 Dec: a member note offered "Start process notes").
  await assertPart(deps.store, session.id, 'processNotes');
  const existing = await deps.store.memberNotes.processNote(session.id, 'session');
  if (existing) {
    if (existing.removedAt !== null) throw conflict('process_note_removed', 'This session’s process notes were removed; they cannot be made again.');
    // A therapist who joined since is not handed the keepers' notes by asking to make them.
    if (!(await deps.store.sessions.member(existing.processSessionId, auth.account.id))) throw conflict('process_note_kept', 'This session’s process notes are kept by the therapists who made them; they are not open to you.');
    return { note: existing, created: false };
  }
  const now = Date.now();
  // Only those who may hold their membership now (services/memberGrants.ts) are given one.
  const therapists = (await holdingMembers(deps.store, await deps.store.sessions.members(session.id))).filter((m) => m.role === 'therapist');
  const record: SessionRecord = {
    id: randomUUID(), title: `Process notes — ${session.title}`, kind: 'individual', status: 'live', scheduledAt: null, createdAt: now,
    createdBy: auth.account.id, startedAt: null, endedAt: null, groupMembers: [], version: 0,
  };
  const note: ProcessNoteRecord = {
    processSessionId: record.id, sessionId: session.id, retainDays, sharedAt: null, sharedBy: null, removedAt: null, createdAt: now,
  };
  // The document's session, its members, the process note and its audit record are one unit of work.
  await deps.store.commit([
    {
      kind: 'createSession', session: record, firstMember: { sessionId: record.id, accountId: auth.account.id, role: 'therapist', addedAt: now },
      initialContent: { at: now, data: templateUpdate(['Process notes']), accountId: null },
    },
    ...therapists
      .filter((t) => t.accountId !== auth.account.id)
      .map((t): AtomicWrite => ({ kind: 'putMember', member: { sessionId: record.id, accountId: t.accountId, role: 'therapist', addedAt: now } })),
    { kind: 'createProcessNote', note },
    audited({ actorId: auth.account.id, action: 'process_note_created', sessionId: session.id, detail: { processSessionId: record.id, retainDays } }, now),
  ]);
  return { note, created: true };
}

/**
 * Shares the process notes with the session's supervisor(s): they may read them from now on
 * (read-only, every opening audited). They are their keepers' notes (the therapists of their own
 * session), so the first keeper's press only asks (an audit record, processNoteAsks.ts), and they
 * are shared when every other keeper has pressed since (askers); a keeper alone shares them at
 * once (walk, 4 Dec: one therapist shared both's notes, unasked). A supervisor added to the
 * session after sharing is not given them by that (attack, 6 Dec: they read the pair's notes at
 * once): a press asks again, and the other keepers' presses share with them. Each step and its
 * audit record are one unit of work, stored at the version judged (judgedAtVersion).
 */
export async function shareProcessNote(deps: Deps, read: ProcessNoteRecord, actorId: string): Promise<ProcessNoteRecord> {
  return judgedAtVersion(deps.store, read, async (note, commit) => {
    const now = Date.now();
    const [supervisors, others, asked] = await Promise.all([supervisorsToShareWith(deps.store, note), otherKeepers(deps.store, note, actorId), askers(deps.store, note, 'share')]);
    if (note.sharedAt !== null && supervisors.length === 0) return note;
    if (!others.every((k) => asked.has(k))) {
      if (!asked.has(actorId)) await commit([audited({ actorId, action: 'process_note_share_asked', sessionId: note.sessionId, detail: { processSessionId: note.processSessionId } }, now)]);
      return note;
    }
    const shared = { sharedAt: note.sharedAt ?? now, sharedBy: note.sharedBy ?? actorId };
    await commit([
      ...supervisors.map((s): AtomicWrite => ({ kind: 'putMember', member: { sessionId: note.processSessionId, accountId: s.accountId, role: 'supervisor', addedAt: now } })),
      { kind: 'processNote', processSessionId: note.processSessionId, patch: shared },
      audited({ actorId, action: 'process_note_shared', sessionId: note.sessionId, detail: { processSessionId: note.processSessionId, supervisors: supervisors.length } }, now),
    ]);
    return { ...note, ...shared };
  });
}

/** The session's supervisors (who may hold that role now) the notes are not shared with yet. */
export async function supervisorsToShareWith(store: Pick<Store, 'sessions' | 'accounts'>, note: ProcessNoteRecord): Promise<MemberRecord[]> {
  const [members, keeping] = await Promise.all([store.sessions.members(note.sessionId), store.sessions.members(note.processSessionId)]);
  return unsharedIn(await holdingMembers(store, members), keeping);
}

/** supervisorsToShareWith, of the session's members who may hold their role now (`holding`) and the members of the notes' own (`keeping`). */
export const unsharedIn = (holding: readonly MemberRecord[], keeping: readonly MemberRecord[]): MemberRecord[] =>
  holding.filter((m) => m.role === 'supervisor' && !keeping.some((k) => k.accountId === m.accountId));

/**
 * Removes the process notes for good: every member loses access (their sockets close), and the
 * document's stored updates, snapshot and authorship are deleted. The session's own note, its
 * record and its audit log are not touched. `actorId` null: removed by the retention setting.
 * The removal, the purge and the audit record are one unit of work: purged after it, a purge cut
 * short (a backend terminated, a full disk) left the words stored for good, the notes marked
 * removed and nothing left to remove (operator fault test, 6 Dec). What the loaded note still
 * queues is refused by the store once the removal is committed, so nothing waits for it. A
 * keeper's removal is stored by `commit`, at the version it was judged at (judgedAtVersion).
 */
export async function removeProcessNote(deps: Deps, note: ProcessNoteRecord, actorId: string | null, commit: JudgedCommit = async (w) => void (await deps.store.commit(w))): Promise<void> {
  const pid = note.processSessionId;
  const now = Date.now();
  await commit([
    { kind: 'processNote', processSessionId: pid, patch: { removedAt: now } },
    ...(await deps.store.sessions.members(pid)).map((m): AtomicWrite => ({ kind: 'removeMember', sessionId: pid, accountId: m.accountId })),
    { kind: 'purgeDoc', docId: pid },
    audited({ actorId, action: 'process_note_removed', sessionId: note.sessionId, detail: { processSessionId: pid, byRetention: actorId === null } }, now),
  ]);
  deps.access.sessionGone(pid, 'process notes removed');
}

/** What one retention sweep did: notes removed, and notes past their retention whose removal failed (left to the next sweep). */
export interface ExpiryOutcome {
  removed: number;
  failed: number;
}

/**
 * Removes every process note kept past its retention (run at start and then periodically; see
 * retentionSweep.ts). Each note on its own: one whose removal fails (its words cannot be deleted,
 * storage away) is logged with the process notes' own session id (`sessionId`) and the error, and
 * left for the next sweep; the ones after it are still removed. Before, the first failure ended the
 * sweep, and every later note stayed past its retention until that one could be removed. Rejects
 * only when the due notes cannot be listed.
 */
export async function expireProcessNotes(deps: Deps, now = Date.now()): Promise<ExpiryOutcome> {
  const due = await deps.store.memberNotes.expiredProcessNotes(now);
  let removed = 0;
  for (const note of due) {
    try {
      await removeProcessNote(deps, note, null);
      removed++;
    } catch (err) {
      deps.log.error('removing process notes past their retention failed; the next sweep tries again', { sessionId: note.processSessionId, err });
    }
  }
  if (removed > 0) deps.log.info('process notes removed by their retention setting', { count: removed });
  return { removed, failed: due.length - removed };
}
