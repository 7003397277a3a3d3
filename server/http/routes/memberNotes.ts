import { Router } from 'express';
import { z } from 'zod';
import { memberLabelSchema } from '../../../shared/domain/observation';
import type { Authenticated } from '../../auth/logins';
import type { SessionAction } from '../../auth/policies';
import { deriveMemberNotes, saveAttendance, memberNoteEntries, memberNoteFor } from '../../members/memberNotes';
import { signCheck } from '../../members/signCheck';
import type { HttpDeps } from '../context';
import { tellPages } from '../tellPages';
import { conflict } from '../../domain/errors';
import { attendanceChangesSchema } from '../../members/attendance';
import { authed, readsNotes } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { memberNotesWaiting, noticesOfStoredStep } from '../../supervisor/commentNotices';
import { parse } from '../validate';
import { readingOnce } from '../../persistence/readsOnce';

const idParam = z.object({ id: z.uuid() });
const memberParam = z.object({ id: z.uuid(), member: memberLabelSchema });
const attendanceBody = z.object({ attendance: attendanceChangesSchema }).strict();
const empty = z.object({}).strict();

/** Attendance, the individual member notes derived from a group note, and what signing waits for. */
export function memberNoteRoutes(deps: HttpDeps): Router {
  const r = Router();
  const load = (auth: Authenticated, params: unknown, action: SessionAction) => loadSessionFor(deps, auth, parse(idParam, params).id, action);
  const groupOnly = (kind: string) => {
    if (kind !== 'group') throw conflict('not_a_group', 'Attendance and member notes belong to group sessions.');
  };

  r.get('/sessions/:id/member-notes', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const link = await deps.store.memberNotes.groupOf(session.id);
    res.json({
      members: session.kind === 'group' ? await memberNoteEntries(deps, session) : [],
      // A member note links back to its group note.
      groupSessionId: link?.groupSessionId ?? null,
    });
  }));

  r.put('/sessions/:id/attendance', authed(deps, null, async (req, res) => {
    const { attendance } = parse(attendanceBody, req.body);
    const session = await load(req.auth, req.params, 'edit');
    const members = await saveAttendance(deps, session, attendance, req.auth.account.id);
    res.json({ members });
    // The co-therapist's page shows attendance too: it hears of the change and reads it again.
    tellPages(deps, session.id, 'the attendance');
  }));

  r.post('/sessions/:id/member-notes', authed(deps, null, async (req, res) => {
    parse(empty, req.body ?? {});
    const step = readingOnce(deps);
    const session = await loadSessionFor(step, req.auth, parse(idParam, req.params).id, 'sign');
    const made = await deriveMemberNotes(step, session, req.auth.account.id);
    await noticesOfStoredStep(step, () => memberNotesWaiting(step, made));
    const { created } = made;
    // As the derivation stored them: read again after its commit, a failure answered 503 for notes that were made (fault attack, 7 Dec).
    res.status(created > 0 ? 201 : 200).json({ created, members: made.entries });
    if (created > 0) tellPages(deps, session.id, 'member notes');
  }));

  r.get('/sessions/:id/member-notes/:member', authed(deps, null, async (req, res) => {
    const { member } = parse(memberParam, req.params);
    const session = await load(req.auth, req.params, 'read');
    groupOnly(session.kind);
    res.json(await memberNoteFor(deps, session, member));
  }));

  // What signing waits for, so the sign panel can say exactly what is missing.
  r.get('/sessions/:id/sign-check', authed(deps, null, readsNotes(deps, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const { groupRead, ...check } = await signCheck(deps, session, req.auth.account);
    // The group note's own words went out: a read of it, recorded before they are sent (attack,
    // 6 Dec: a supervisor read them here, and neither the audit log nor the access list said so).
    if (groupRead !== null) await deps.noteReads.record(req.auth, groupRead, 'sign_check', { member: session.id });
    res.json(check);
  })));

  return r;
}
