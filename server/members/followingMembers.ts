/**
 * Process notes and member notes are sessions of their own (their own document, members and
 * audited openings), but who may open them follows the session they come from: a member removed
 * from a session leaves its process notes and its members' notes in the same unit of work, and
 * loses their sockets (attack, 4 Dec: a removed supervisor kept reading the therapists' shared
 * process notes, and a removed co-therapist kept writing in them, both live; a removed supervisor
 * kept opening and exporting a member's note). A member added or given another role is added or
 * changed there as well.
 *
 * What each follower gets of a parent member:
 * - process notes (not removed): nothing new. They belong to the therapists who keep them, so a
 *   change of the session's members only takes access away (removed; a keeper made a supervisor
 *   keeps reading only if they are shared). A therapist added to the session is not given them
 *   (attack, 6 Dec: one therapist added a third who read and wrote the pair's notes, unasked), save
 *   one who wrote in them, back again; a supervisor added after sharing reads them only when the
 *   keepers share them again (processNotes.ts, shareProcessNote);
 * - member notes not yet locked: the same role (a locked note's members are frozen, as any note's).
 */
import type { MemberRole } from '../../shared/domain/roles';
import { isLocked } from '../../shared/domain/lifecycle';
import { audited } from '../audit/audited';
import { holdingMembers } from '../services/memberGrants';
import type { DomainError } from '../domain/errors';
import type { AtomicWrite, SessionRecord, Store } from '../persistence/ports';
import { atJudgedVersion } from '../services/staleRetry';

/** A follower session and the role the changed account should have there (null: none), given the one they have (null: none). */
interface Follower {
  sessionId: string;
  roleFor: (current: MemberRole | null) => MemberRole | null;
  /** Whether the record's removal rules apply there (a member note is a record; process notes are not). */
  isRecord: boolean;
  /** The follower's session as read, when the change is stored only at that version (process notes). */
  judged?: SessionRecord;
}

/** What a change of one parent member does to the followers: the writes, and the sockets to close. */
export interface FollowingChange {
  writes: AtomicWrite[];
  removedFrom: string[];
  roleChangedIn: string[];
}

/** The process-notes role of one who holds `current` there and is now `role` in the session (see the top of this file). */
function processRole(current: MemberRole | null, role: MemberRole | null, shared: boolean, wrote: boolean): MemberRole | null {
  if (role === null) return null;
  if (current === null) return role === 'therapist' && wrote ? 'therapist' : null;
  if (current === 'supervisor' || role === 'therapist') return current;
  return shared ? 'supervisor' : null;
}

async function followers(store: Pick<Store, 'memberNotes' | 'sessions' | 'bindings'>, parent: SessionRecord, accountId: string, role: MemberRole | null): Promise<Follower[]> {
  const [made, links] = await Promise.all([store.memberNotes.processNote(parent.id, 'session'), store.memberNotes.notesOf(parent.id)]);
  const out: Follower[] = [];
  // The notes' own session is read first, so what is read after it (shared or not, its members) is of that version or newer.
  const judged = made && made.removedAt === null ? await store.sessions.byId(made.processSessionId) : null;
  const processNote = judged && (await store.memberNotes.processNote(parent.id, 'session'));
  if (judged && processNote && processNote.removedAt === null) {
    const wrote = [...(await store.bindings.forSession(judged.id)).values()].includes(accountId);
    out.push({ sessionId: judged.id, roleFor: (current) => processRole(current, role, processNote.sharedAt !== null, wrote), isRecord: false, judged });
  }
  const notes = await Promise.all(links.map((l) => store.sessions.byId(l.noteSessionId)));
  for (const note of notes) if (note && !isLocked(note.status)) out.push({ sessionId: note.id, roleFor: () => role, isRecord: true });
  return out;
}

/**
 * The changes that make `accountId`'s membership of `parent`'s followers match `role` (null: they
 * were removed from `parent`), with an audit record each (by `actorId`), for the same unit of work
 * as the parent's change. `refusal` says why a record follower may not lose the account (a
 * therapist who wrote in it stays until it is locked, see services/membership.ts); such a refusal
 * is thrown, and nothing changes anywhere.
 */
export async function followingChange(
  store: Pick<Store, 'memberNotes' | 'sessions' | 'bindings'>,
  parent: SessionRecord,
  accountId: string,
  role: MemberRole | null,
  actorId: string,
  refusal: (sessionId: string) => Promise<DomainError | null>,
  /** What the parent's audit record adds for an admin's override (`override`, `reason`): each follower's record says it too. */
  override: Record<string, unknown> = {},
): Promise<FollowingChange> {
  const change: FollowingChange = { writes: [], removedFrom: [], roleChangedIn: [] };
  const now = Date.now();
  for (const f of await followers(store, parent, accountId, role)) {
    // Stored only at the version of the process notes' own session read here, as every keeper step
    // is (processNoteAsks.ts judgedAtVersion): a share pressed while an admin took the supervisor
    // off the session read the supervisor, this read them not yet among the notes' members, and
    // the share then gave the removed supervisor the notes (attack, 7 Dec). One of the two is now
    // judged again (membership.ts retries a change overtaken so).
    if (f.judged) change.writes.push(atJudgedVersion(f.judged));
    const current = await store.sessions.member(f.sessionId, accountId);
    const next = f.roleFor(current?.role ?? null);
    if ((current?.role ?? null) === next) continue;
    if (next === null) {
      const refused = f.isRecord ? await refusal(f.sessionId) : null;
      if (refused) throw refused;
      change.removedFrom.push(f.sessionId);
    } else if (current) change.roleChangedIn.push(f.sessionId);
    change.writes.push(...followWrites(f.sessionId, accountId, next, current?.addedAt ?? now, parent.id, actorId, now, override));
  }
  return change;
}

/** What returning a member note does to its members: the writes, and whose sockets to close or reopen. */
export interface FollowAgain {
  writes: AtomicWrite[];
  removed: string[];
  roleChanged: string[];
}

/**
 * A member note returned for revision is open again, so its members follow its group session's
 * once more (locked, they were frozen): who joined the group session since is added, who left it
 * is removed, save a therapist who wrote in the note (`writers`: the rule every note has). Each
 * change has its audit record (by `actorId`), for the return's unit of work. Nothing for any other
 * session. (A supervisor removed from the group kept a signed member note, returned it, and kept
 * reading and writing its revision.)
 */
export async function followAgain(store: Pick<Store, 'memberNotes' | 'sessions' | 'accounts'>, note: SessionRecord, writers: ReadonlySet<string>, actorId: string): Promise<FollowAgain> {
  const change: FollowAgain = { writes: [], removed: [], roleChanged: [] };
  const link = await store.memberNotes.groupOf(note.id);
  if (!link) return change;
  const [groupMembers, noteMembers] = await Promise.all([store.sessions.members(link.groupSessionId), store.sessions.members(note.id)]);
  const now = Date.now();
  // Who joins the note must hold their role now (services/memberGrants.ts); who is in it already stays as the rules below say.
  for (const m of await holdingMembers(store, groupMembers)) {
    const current = noteMembers.find((n) => n.accountId === m.accountId);
    if (current?.role === m.role) continue;
    change.writes.push(...followWrites(note.id, m.accountId, m.role, current?.addedAt ?? now, link.groupSessionId, actorId, now));
    if (current) change.roleChanged.push(m.accountId);
  }
  for (const n of noteMembers) {
    if (groupMembers.some((m) => m.accountId === n.accountId) || (n.role === 'therapist' && writers.has(n.accountId))) continue;
    change.writes.push(...followWrites(note.id, n.accountId, null, n.addedAt, link.groupSessionId, actorId, now));
    change.removed.push(n.accountId);
  }
  return change;
}

/** Puts `accountId` in follower `sessionId` with `role` (null: takes them out), with its audit record saying which session it `followed`. */
function followWrites(sessionId: string, accountId: string, role: MemberRole | null, addedAt: number, followed: string, actorId: string, now: number, override: Record<string, unknown> = {}): AtomicWrite[] {
  const detail = { accountId, followed, ...override };
  if (role === null) return [{ kind: 'removeMember', sessionId, accountId }, audited({ actorId, action: 'member_removed', sessionId, detail }, now)];
  return [
    { kind: 'putMember', member: { sessionId, accountId, role, addedAt } },
    audited({ actorId, action: 'member_added', sessionId, detail: { ...detail, role } }, now),
  ];
}
