import { randomUUID } from 'node:crypto';
import type { ServiceDeps } from '../services/deps';
import { notFound, conflict, invalid } from '../domain/errors';
import { isLocked, UNLOCKED } from '../../shared/domain/lifecycle';
import { formatDuration } from '../../shared/domain/observation';
import type { AtomicWrite, Attendance, SessionRecord } from '../persistence/ports';
import { audited } from '../audit/audited';
import { holdingMembers } from '../services/memberGrants';
import { atJudgedVersion, retryWhileStale } from '../services/staleRetry';
import { readAfterStored } from '../services/afterStored';
import { localTimes } from '../review/localTime';
import { parseAttendance } from './attendance';

type Deps = Pick<ServiceDeps, 'store' | 'config' | 'notes' | 'log'>;

/** A group member as the member-notes panel shows them: attendance and their note, if derived. */
export interface MemberNoteEntry {
  member: string;
  attendance: Attendance;
  /** Whether a therapist recorded it; unrecorded attendance reads `present` and is asked for at the end. */
  recorded: boolean;
  noteSessionId: string | null;
  status: SessionRecord['status'] | null;
}

/** The session's members with their attendance (present unless recorded otherwise) and notes. */
export async function memberNoteEntries(deps: Deps, group: SessionRecord): Promise<MemberNoteEntry[]> {
  const [attendance, notes] = await Promise.all([storedAttendance(deps, group.id), notesByMember(deps, group.id)]);
  return group.groupMembers.map((member) => {
    const note = notes.get(member) ?? null;
    const recorded = attendance[member];
    return { member, attendance: recorded ?? 'present', recorded: recorded !== undefined, noteSessionId: note?.id ?? null, status: note?.status ?? null };
  });
}

/** The session's recorded attendance by label (members not in it were present). */
async function storedAttendance(deps: Deps, sessionId: string): Promise<Record<string, Attendance>> {
  return parseAttendance(await deps.store.memberNotes.attendance(sessionId));
}

/**
 * The writes that record `changes` (member label → attendance) over what is recorded, with their
 * audit record (by `actorId`), for one unit of work, and the members as they will stand once those
 * are stored (`after`); members recorded before and not in `changes` keep theirs. Throws
 * DomainError: 409 `session_locked` once the note is signed, 409 `not_a_group` for an individual
 * session, 400 `unknown_member` for a label not of the group, 409 `member_note_exists` for marking
 * absent a member who already has a note.
 */
export async function attendanceWrites(deps: Deps, session: SessionRecord, changes: Record<string, Attendance>, actorId: string): Promise<{ writes: AtomicWrite[]; after: MemberNoteEntry[] }> {
  if (session.kind !== 'group') throw conflict('not_a_group', 'Attendance belongs to group sessions.');
  if (isLocked(session.status)) throw conflict('session_locked', 'The note is signed; attendance cannot change.');
  const unknown = Object.keys(changes).find((l) => !session.groupMembers.includes(l));
  if (unknown) throw invalid('unknown_member', `"${unknown}" is not one of this session’s group members.`, 'attendance');
  const entries = await memberNoteEntries(deps, session);
  const withNote = entries.find((e) => changes[e.member] === 'absent' && e.noteSessionId !== null);
  if (withNote) throw conflict('member_note_exists', `${withNote.member} already has a member note from this session; they cannot be marked absent.`, 'attendance');
  // Only what a therapist chose is stored: an unrecorded member stays unrecorded (see `recorded`).
  const attendance: Record<string, Attendance> = Object.fromEntries(entries.flatMap((e) => (e.recorded || changes[e.member] ? [[e.member, changes[e.member] ?? e.attendance]] : [])));
  const after = entries.map((e) => ({ ...e, attendance: attendance[e.member] ?? e.attendance, recorded: attendance[e.member] !== undefined }));
  // The attendance as it is: nothing to store or audit. A change voids the signatures given before
  // it (lifecycle.ts, recordChangedAt); a save that changes nothing must not.
  if (entries.every((e) => (e.recorded ? e.attendance : undefined) === attendance[e.member])) return { writes: [], after };
  // Counts only: the labels are initials of the people in the room.
  const values = Object.values(attendance);
  const count = (a: Attendance) => values.filter((v) => v === a).length;
  const writes: AtomicWrite[] = [
    { kind: 'attendance', sessionId: session.id, attendance: JSON.stringify(attendance) },
    audited({ actorId, action: 'attendance_changed', sessionId: session.id, detail: { present: count('present'), late: count('late'), absent: count('absent') } }),
  ];
  return { writes, after };
}

/**
 * Stores a therapist's attendance changes (attendanceWrites) at the version of the session they
 * were judged at, judged again when a change came meanwhile (retryWhileStale): a save racing the
 * last signature landed after the lock (attack, 6 Dec: 1 round in 40), and one racing a label's
 * removal recorded attendance for a label the group no longer had (attack, 7 Dec). The session
 * write also bumps its version, which a lock decided on the attendance read before it checks
 * (lifecycle.ts, signSession), as a label change does (groupMembers.ts). Resolves with the members
 * as stored, read again, or as the change made them when that read fails: the change stands
 * (before, 7 Dec: the read's failure answered 503 for attendance that was saved).
 */
export async function saveAttendance(deps: Deps, read: SessionRecord, changes: Record<string, Attendance>, actorId: string): Promise<MemberNoteEntry[]> {
  let session = read;
  let judged: { writes: AtomicWrite[]; after: MemberNoteEntry[] } = { writes: [], after: [] };
  await retryWhileStale('The session kept changing while attendance was being saved; save it again.', async (round) => {
    if (round > 1) session = (await deps.store.sessions.byId(session.id)) ?? session;
    judged = await attendanceWrites(deps, session, changes, actorId);
    if (judged.writes.length > 0) await deps.store.commit([atJudgedVersion(session, UNLOCKED), ...judged.writes]);
  });
  const { writes, after } = judged;
  return writes.length === 0 ? after : readAfterStored(deps, 'reading the attendance', () => memberNoteEntries(deps, session), () => after);
}

/** The member notes derived from a group session, by the member they are for (a note's one group member). */
async function notesByMember(deps: Pick<Deps, 'store'>, groupId: string): Promise<Map<string, SessionRecord>> {
  const links = await deps.store.memberNotes.notesOf(groupId);
  const sessions = await Promise.all(links.map((l) => deps.store.sessions.byId(l.noteSessionId)));
  return new Map(sessions.flatMap((s) => (s && s.groupMembers[0] ? [[s.groupMembers[0], s] as const] : [])));
}

/**
 * Refuses taking away the label of a member who has a member note from this session (409
 * `member_note_exists`): the group's attendance, its list of member notes and the note's own page
 * follow the label, so B's removal of "M2" after the end hid M2's note (404) and their attendance
 * from the group's record, and a label renamed so was listed as a member without a note (attack,
 * 6 Dec). Marking such a member absent is refused the same way (attendanceWrites).
 */
export async function assertNotedLabelsKept(deps: Pick<Deps, 'store'>, group: SessionRecord, labels: readonly string[]): Promise<void> {
  const noted = [...(await notesByMember(deps, group.id)).keys()].filter((m) => group.groupMembers.includes(m) && !labels.includes(m));
  if (noted.length === 0) return;
  throw conflict('member_note_exists', `${noted.join(', ')} already ${noted.length === 1 ? 'has a member note' : 'have member notes'} from this session, so the label stays.`, 'labels');
}

/** One member's note; 409 for a member who was absent (they have none), 404 for a label not in the group. */
export async function memberNoteFor(deps: Deps, group: SessionRecord, member: string): Promise<MemberNoteEntry> {
  const entry = (await memberNoteEntries(deps, group)).find((e) => e.member === member);
  if (!entry) throw notFound(`Group member "${member}"`);
  if (entry.attendance === 'absent') throw conflict('member_absent', `${member} was absent from this session, so there is no member note for them.`, 'member');
  if (!entry.noteSessionId) throw conflict('not_derived', `${member}'s note is made when the group session ends.`, 'member');
  return entry;
}

/**
 * The group session's length in the words its page and review use (formatDuration): rounded here,
 * a session of 4 min 57 s read "Lasted 4 min" on its page and "Duration: 5 min" in each chart note.
 */
const durationText = (s: SessionRecord) => (s.startedAt !== null && s.endedAt !== null ? formatDuration(s.endedAt - s.startedAt) : 'not recorded');

/** How long one derivation may hold its claim (a process that died holding it frees it after this). */
const CLAIM_MS = 60_000;

/**
 * Derives the note of every present (or late) member who has none yet: a session of its own (its
 * own live note, signed, locked and reviewed like any), for the group's members, linked to the
 * group session. Its one group member is the member it is for, so its mentions can name only them.
 * Every note and the audit record of the derivation (by `actorId`) are one unit of work.
 * One derivation per group at a time, on every process (a claim in storage): ending and a retry,
 * here or elsewhere, cannot make two notes for one member; the second is told to try again (409).
 * The notes are made for the labels as the group holds them when they are stored (the group's
 * version, which the derivation bumps, so a label change judged before it is judged again): B took
 * a label away while A's press made its note, each judged on what it read before the other wrote,
 * and the note was made for a label the group no longer had, listed nowhere (attack, 6 Dec).
 */
export async function deriveMemberNotes(deps: Deps, group: SessionRecord, actorId: string): Promise<Derived> {
  const now = Date.now();
  if (!(await deps.store.memberNotes.claimDerivation(group.id, now, now + CLAIM_MS))) {
    throw conflict('deriving', 'The member notes are being made right now; try again in a moment.');
  }
  try {
    return await retryWhileStale('The group session kept changing while its member notes were being made; make them again.', async () => {
      const fresh = await deps.store.sessions.byId(group.id);
      if (!fresh) throw notFound('The group session');
      return derive(deps, fresh, actorId);
    });
  } finally {
    await deps.store.memberNotes.releaseDerivation(group.id);
  }
}

/**
 * How many member notes a derivation made, their sessions, and the therapists who sign them;
 * `entries`, the group's members as the derivation stored them (memberNoteEntries, at the group's
 * version it was stored at), which its answer shows without reading them again after the commit.
 */
export interface Derived {
  created: number;
  noteIds: string[];
  therapists: string[];
  entries: MemberNoteEntry[];
}

async function derive(deps: Deps, group: SessionRecord, actorId: string): Promise<Derived> {
  if (group.kind !== 'group') throw conflict('not_a_group', 'Member notes are derived from group sessions.');
  if (group.status === 'scheduled' || group.status === 'live') throw conflict('wrong_state', 'Member notes are derived once the group session has ended.');
  const entries = await memberNoteEntries(deps, group);
  const pending = entries.filter((e) => e.attendance !== 'absent' && e.noteSessionId === null);
  if (pending.length === 0) return { created: 0, noteIds: [], therapists: [], entries };
  const note = await deps.notes.stored(group.id);
  const [members, accounts, tags, clientAccounts] = await Promise.all([
    deps.store.sessions.members(group.id).then((all) => holdingMembers(deps.store, all)), deps.store.accounts.list(), deps.store.tags.list(), deps.store.bindings.forSession(group.id),
  ]);
  const times = localTimes(deps.config.timeZone);
  const derivedNotes = await deps.notes.read(note, 'memberNotes', {
    members: group.groupMembers, entries: pending.map(({ member, attendance }) => ({ member, attendance })), groupTitle: group.title,
    date: group.startedAt === null ? 'not recorded' : times.at(new Date(group.startedAt).toISOString()), duration: durationText(group),
    tagNames: new Map(tags.map((t) => [t.id, t.name])), names: new Map(accounts.map((a) => [a.id, a.name])), clientAccounts,
    timeZone: deps.config.timeZone,
  });
  // Each note's team is the group's members who may still hold their role (services/memberGrants.ts).
  const creator = members.find((m) => m.role === 'therapist');
  if (!creator) throw conflict('no_therapist', 'No therapist of the group session may write its member notes now; an admin can add one.');
  const writes: AtomicWrite[] = [];
  const made = new Map<string, string>();
  for (const derived of derivedNotes) {
    const now = Date.now();
    // Members keep the group's join order (one ms apart), so each therapist keeps the colour the
    // group note gave them (sessionColors): with one time for all, the order was the store's.
    const joinedAt = (m: (typeof members)[number]) => now + members.indexOf(m);
    // Ended, without a clock of its own: it is written after the group session, and signed like it.
    // The group's title may name members too ("Tuesday group with JD"): `derived.title` says "another member" for them.
    const note: SessionRecord = {
      id: randomUUID(), title: `${derived.title} — ${derived.member}`, kind: 'individual', status: 'ended', scheduledAt: group.startedAt,
      createdAt: now, createdBy: creator.accountId, startedAt: null, endedAt: null, groupMembers: [derived.member], version: 0,
    };
    made.set(derived.member, note.id);
    writes.push(
      {
        kind: 'createSession', session: note, firstMember: { sessionId: note.id, accountId: creator.accountId, role: creator.role, addedAt: joinedAt(creator) },
        initialContent: { at: now, data: derived.update, accountId: null },
      },
      ...members.filter((m) => m.accountId !== creator.accountId).map((m): AtomicWrite => ({ kind: 'putMember', member: { sessionId: note.id, accountId: m.accountId, role: m.role, addedAt: joinedAt(m) } })),
      { kind: 'memberNoteLink', link: { noteSessionId: note.id, groupSessionId: group.id, createdAt: now } },
    );
  }
  await deps.store.commit([
    atJudgedVersion(group),
    ...writes,
    audited({ actorId, action: 'member_notes_derived', sessionId: group.id, detail: { created: pending.length } }),
  ]);
  const noteIds = writes.flatMap((w) => (w.kind === 'createSession' ? [w.session.id] : []));
  const now = entries.map((e) => {
    const id = made.get(e.member);
    return id === undefined ? e : { ...e, noteSessionId: id, status: 'ended' as const };
  });
  return { created: pending.length, noteIds, therapists: members.filter((m) => m.role === 'therapist').map((m) => m.accountId), entries: now };
}
