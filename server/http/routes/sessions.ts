import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { addMemberBodySchema, createSessionBodySchema, removeMemberBodySchema } from '../../../shared/domain/session';
import { sessionSearchSchema, type SessionSearch } from '../../../shared/domain/supervisor';
import { noteFormatSchema, templateSections } from '../../../shared/domain/templates';
import { canOverrideMembership, type SessionAction } from '../../auth/policies';
import type { Authenticated } from '../../auth/logins';
import { templateUpdate } from '../../collab/template';
import { audited } from '../../audit/audited';
import type { SessionRecord } from '../../persistence/ports';
import { noteWriters, putMember, removalRefusal, removeMember, type MembershipActor } from '../../services/membership';
import { noteReaders } from '../../services/noteAccess';
import { continuedTeam, continueGroupWrites } from '../../services/recurringGroup';
import { dateRange } from '../../supervisor/clinicDays';
import { sessionDate } from '../../supervisor/queue';
import { noticesOfStoredStep } from '../../supervisor/commentNotices';
import { tellReadyToLock } from '../../supervisor/accountChangeNotices';
import { memberNoteEntries } from '../../members/memberNotes';
import { readsSession, sessionsReadBy } from '../../services/readableSessions';
import type { HttpDeps } from '../context';
import { invalid, notFound } from '../../domain/errors';
import { loadSessionFor } from '../sessionAccess';
import { tellPages } from '../tellPages';
import { authed } from '../middleware';
import { presentNoteReader, presentSession } from '../presenters';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });
const memberParam = z.object({ id: z.uuid(), userId: z.uuid() });
const createBody = createSessionBodySchema.extend({
  format: noteFormatSchema.optional(),
  /** A group session this one follows: the recurring group keeps its labels and its team. */
  continues: z.uuid().optional(),
});

/** Whether a session matches the search's title words, status and date range. */
function inSearch(s: SessionRecord, q: SessionSearch, range: { from?: number; to?: number }): boolean {
  if (q.q && !s.title.toLowerCase().includes(q.q.toLowerCase())) return false;
  if (q.status && s.status !== q.status) return false;
  const date = sessionDate(s);
  return (range.from === undefined || date >= range.from) && (range.to === undefined || date < range.to);
}

export function sessionRoutes(deps: HttpDeps): Router {
  const r = Router();

  const load = (auth: Authenticated, id: string, action: SessionAction) => loadSessionFor(deps, auth, id, action);

  const view = async (session: SessionRecord, viewerId: string) => {
    const members = await deps.store.sessions.members(session.id);
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    // Only the therapists may remove, so only they are told why not: it says who has written (a
    // supervisor would learn that a therapist typed text and deleted it).
    const viewerIsTherapist = members.some((m) => m.accountId === viewerId && m.role === 'therapist');
    const [link, process, writers] = await Promise.all([
      deps.store.memberNotes.groupOf(session.id),
      deps.store.memberNotes.processNote(session.id, 'process'),
      viewerIsTherapist ? noteWriters(deps, session.id) : null,
    ]);
    const notRemovable = (accountId: string) => (writers ? (removalRefusal(members, writers, accountId, { kind: 'therapist' })?.message ?? null) : null);
    return presentSession(session, members, accounts, viewerId, { groupSessionId: link?.groupSessionId ?? null, processNoteOf: process?.sessionId ?? null }, notRemovable);
  };

  r.post('/sessions', authed(deps, ['clinician'], async (req, res) => {
    const body = parse(createBody, req.body);
    const now = Date.now();
    const previous = body.continues === undefined ? null : await previousOfGroup(req.auth, body.continues, body.kind);
    const continued = previous ? await continuedTeam(deps.store, previous, now) : null;
    const session: SessionRecord = {
      id: randomUUID(), title: body.title, kind: body.kind, status: 'scheduled',
      scheduledAt: body.scheduledAt ? Date.parse(body.scheduledAt) : null, createdAt: now, createdBy: req.auth.account.id,
      startedAt: null, endedAt: null, groupMembers: previous?.groupMembers ?? [], version: 0,
    };
    // The session (with its group and team when it continues one) and its audit record are one unit of work.
    await deps.store.commit([
      {
        kind: 'createSession', session, firstMember: { sessionId: session.id, accountId: req.auth.account.id, role: 'therapist', addedAt: continued?.joinedAt(req.auth.account.id) ?? now },
        initialContent: { at: now, data: templateUpdate(templateSections(body.kind, body.format)), accountId: null },
      },
      audited({ actorId: req.auth.account.id, action: 'session_created', sessionId: session.id, detail: { kind: body.kind, ...(previous ? { continues: previous.id } : {}) } }, now),
      ...(previous && continued ? await continueGroupWrites(deps.store, previous, continued, session.id, req.auth.account.id, now) : []),
    ]);
    res.status(201).json({ id: session.id });
  }));

  /** The group session a new one follows: a group, and one the caller is a therapist of. */
  const previousOfGroup = async (auth: Authenticated, id: string, kind: string): Promise<SessionRecord> => {
    if (kind !== 'group') throw invalid('not_a_group', 'Only a group session continues a recurring group.', 'continues');
    const previous = await load(auth, id, 'edit');
    if (previous.kind !== 'group') throw invalid('not_a_group', 'The session to continue is not a group session.', 'continues');
    return previous;
  };

  // The sessions of this session's recurring group the caller may read (a member in a role that fits), oldest first, with
  // each member's attendance and note: a member's notes line up week to week.
  r.get('/sessions/:id/group-history', authed(deps, null, async (req, res) => {
    const { id } = parse(idParam, req.params);
    const session = await load(req.auth, id, 'read');
    const groupId = await deps.store.memberNotes.groupIdOf(session.id);
    const ids = groupId ? await deps.store.memberNotes.groupSessions(groupId) : [session.id];
    const visible = [];
    for (const sid of ids) {
      const s = await deps.store.sessions.byId(sid);
      if (!s || !(await readsSession(deps.store, sid, req.auth.account))) continue;
      visible.push({
        id: s.id, title: s.title, status: s.status,
        startedAt: s.startedAt === null ? null : new Date(s.startedAt).toISOString(),
        members: await memberNoteEntries(deps, s),
      });
    }
    res.json({ groupId, sessions: visible });
  }));

  // Titles are sealed at rest, so the search runs here over the caller's own sessions.
  r.get('/sessions', authed(deps, null, async (req, res) => {
    const query = parse(sessionSearchSchema, req.query);
    const range = dateRange(query, deps.config.timeZone, (field, message) => invalid('invalid_input', message, field));
    const sessions = await sessionsReadBy(deps.store, req.auth.account);
    const views = await Promise.all(sessions.filter((s) => inSearch(s, query, range)).map((s) => view(s, req.auth.account.id)));
    // Process notes are opened from their session's page, never listed as sessions of their own.
    const listed = views.filter((v) => v.processNoteOf === null);
    res.json(query.member ? listed.filter((v) => v.members.some((m) => m.userId === query.member)) : listed);
  }));

  r.get('/sessions/:id', authed(deps, null, async (req, res) => {
    const { id } = parse(idParam, req.params);
    res.json(await view(await load(req.auth, id, 'read'), req.auth.account.id));
  }));

  // Who has been sent this note's content (from the audit log), so its therapists can see who read it.
  r.get('/sessions/:id/access', authed(deps, null, async (req, res) => {
    const { id } = parse(idParam, req.params);
    await load(req.auth, id, 'read');
    const [readers, members, accounts] = await Promise.all([noteReaders(deps, id, req.auth.account.id), deps.store.sessions.members(id), deps.store.accounts.list()]);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    res.json(readers.map((r) => presentNoteReader(r, byId, members)));
  }));

  /** The session and who is changing its members: one of its therapists, or an admin giving a reason. */
  const membershipChange = async (auth: Authenticated, id: string, reason: string | undefined): Promise<{ session: SessionRecord; actor: MembershipActor }> => {
    if (!canOverrideMembership(auth.account)) return { session: await load(auth, id, 'manageMembers'), actor: { kind: 'therapist' } };
    const session = await deps.store.sessions.byId(id);
    if (!session) throw notFound('The session');
    if (!reason) throw invalid('reason_required', 'Give the reason for changing this session’s members; it is kept in the audit log.', 'reason');
    return { session, actor: { kind: 'admin', reason } };
  };

  r.post('/sessions/:id/members', authed(deps, null, async (req, res) => {
    const { id } = parse(idParam, req.params);
    const body = parse(addMemberBodySchema, req.body);
    const { session, actor } = await membershipChange(req.auth, id, body.reason);
    await putMember(deps, session, { ...actor, actorId: req.auth.account.id }, body.userId, body.role);
    res.status(201).json({ userId: body.userId, role: body.role });
    // The members' open pages show the members too: they hear of the change and read the session
    // again. After the answer: told before it, a failed read of whom to tell answered 503 for a
    // member who was added (fault test, 7 Dec).
    tellPages(deps, session.id, 'the members');
  }));

  r.delete('/sessions/:id/members/:userId', authed(deps, null, async (req, res) => {
    const { id, userId } = parse(memberParam, req.params);
    const { reason } = parse(removeMemberBodySchema, req.body ?? {});
    const { session, actor } = await membershipChange(req.auth, id, reason);
    await removeMember(deps, session, { ...actor, actorId: req.auth.account.id }, userId);
    await noticesOfStoredStep(deps, () => tellReadyToLock(deps, session, req.auth.account.id, { change: 'taken_off', accountId: userId }));
    res.status(204).end();
    tellPages(deps, session.id, 'the members');
  }));

  return r;
}
