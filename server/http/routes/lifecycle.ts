import { Router } from 'express';
import { z } from 'zod';
import { isLocked } from '../../../shared/domain/lifecycle';
import { memberLabelSchema } from '../../../shared/domain/observation';
import type { Authenticated } from '../../auth/logins';
import type { SessionAction } from '../../auth/policies';
import { answeredFlagsAtLock } from '../../supervisor/answeredFlagNotices';
import { lifecycleNotices, memberNotesWaiting, noticesOfStoredStep } from '../../supervisor/commentNotices';
import { attendanceWrites, deriveMemberNotes } from '../../members/memberNotes';
import { attendanceChangesSchema } from '../../members/attendance';
import { assertRiskComplete } from '../../members/riskGate';
import { addAddendum } from '../../services/addenda';
import { setGroupMembers } from '../../services/groupMembers';
import { cosignSession, endSession, returnSession, signSession, startSession, storedDigest } from '../../services/lifecycle';
import { currentRound } from '../../services/signatureRound';
import { revealBeforeSigning, revealBlind } from '../../learning/reveal';
import type { HttpDeps } from '../context';
import { tellPages } from '../tellPages';
import { DomainError } from '../../domain/errors';
import { authed, readsNotes } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { parse } from '../validate';
import { readingOnce } from '../../persistence/readsOnce';

const idParam = z.object({ id: z.uuid() });
const returnBody = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();
/** `requestId`: made by the page once per draft; the same one again adds nothing (services/addenda.ts). */
const addendumBody = z.object({ text: z.string().trim().min(1).max(20_000), requestId: z.uuid().optional() }).strict();
/** `digest`: SHA-256 (hex) of the note as the signer's page shows it (shared/note/noteCanonical.ts). */
const signBody = z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 digest in hex').optional() }).strict();
/** `base`: the labels the list was edited from (services/groupMembers.ts). */
const groupMembersBody = z
  .object({ labels: z.array(memberLabelSchema).max(30).refine((l) => new Set(l).size === l.length, 'labels must be unique'), base: z.array(memberLabelSchema).max(30).optional() })
  .strict();
const empty = z.object({}).strict();
/** `attendance`: a group session's attendance as its therapist confirmed it on ending (stored with the end, before the member notes are made). */
const endBody = z.object({ attendance: attendanceChangesSchema.optional() }).strict();

/** Session clock, lifecycle, signatures, addenda and group-member labels. */
export function lifecycleRoutes(deps: HttpDeps): Router {
  const r = Router();
  // The steps that read a thing more than once (the session, its members) read it once for the
  // whole request through `readingOnce` (persistence/readsOnce.ts).
  const load = async (auth: Authenticated, params: unknown, action: SessionAction, from: Pick<HttpDeps, 'store'> = deps) => loadSessionFor(from, auth, parse(idParam, params).id, action);

  r.post('/sessions/:id/start', authed(deps, null, async (req, res) => {
    parse(empty, req.body ?? {});
    const session = await startSession(deps, await load(req.auth, req.params, 'sign'), req.auth.account.id);
    res.json({ status: session.status, startedAt: new Date(session.startedAt!).toISOString() });
    // The members' home pages list the sessions live now (a walk, 6 Dec, found one only under All sessions).
    tellPages(deps, session.id, 'the start');
  }));

  r.post('/sessions/:id/end', authed(deps, null, async (req, res) => {
    const { attendance } = parse(endBody, req.body ?? {});
    const step = readingOnce(deps);
    const live = await load(req.auth, req.params, 'sign', step);
    const withAttendance = attendance ? (await attendanceWrites(step, live, attendance, req.auth.account.id)).writes : [];
    const session = await endSession(step, live, req.auth.account.id, withAttendance);
    // A blind session's private observations enter the note when it ends, if not revealed before.
    // The session has ended either way: if merging fails now, Reveal or the first signature merges them.
    await revealBlind(step, session, req.auth.account.id, 'session_ended').catch((err: unknown) =>
      step.log.error('revealing blind observations at the end failed; Reveal or signing merges them', { sessionId: session.id, err }),
    );
    // A group session's end makes each present member's individual note. The session has ended
    // whatever happens here: failing the answer would ask for a retry that can never work (the
    // end is made), so it says the notes are not made; the members panel offers to make them.
    let memberNotesMade: boolean | undefined;
    if (session.kind === 'group') {
      memberNotesMade = await deriveMemberNotes(step, session, req.auth.account.id).then(
        async (made) => {
          await noticesOfStoredStep(step, () => memberNotesWaiting(step, made));
          return true;
        },
        (err: unknown) => {
          // Someone already deriving them (a request that raced the end) makes them as well.
          if (err instanceof DomainError && err.code === 'deriving') return true;
          step.log.error('member notes could not be made at the end; the members panel offers to make them', { sessionId: session.id, err });
          return false;
        },
      );
    }
    res.json({ status: session.status, endedAt: new Date(session.endedAt!).toISOString(), ...(memberNotesMade === undefined ? {} : { memberNotesMade }) });
    // Told once the member notes are made: the co-therapist's page read them as soon as it saw the
    // end, before they were made, and a walk (3 Dec) saw them there 4 s late. Home pages take the
    // session off the sessions live now.
    tellPages(step, session.id, memberNotesMade ? 'the end and the member notes' : 'the end');
  }));

  r.post('/sessions/:id/sign', authed(deps, null, async (req, res) => {
    const { digest } = parse(signBody, req.body ?? {});
    const step = readingOnce(deps);
    const session = await load(req.auth, req.params, 'sign', step);
    await revealBeforeSigning(step, session, req.auth.account.id);
    await assertRiskComplete(step, session);
    const result = await signSession(step, session, req.auth.account.id, digest);
    await noticesOfStoredStep(step, () => lifecycleNotices(step, result.session.id, req.auth.account.id, result.locked ? { kind: 'cosign_waiting' } : { kind: 'signature_waiting', to: result.waitingFor }));
    if (result.locked) await noticesOfStoredStep(step, () => answeredFlagsAtLock(step, result.session.id));
    res.json({ status: result.session.status, digest: result.digest, locked: result.locked, waitingFor: result.waitingFor });
  }));

  r.post('/sessions/:id/cosign', authed(deps, null, async (req, res) => {
    parse(empty, req.body ?? {});
    const step = readingOnce(deps);
    const result = await cosignSession(step, await load(req.auth, req.params, 'review', step), req.auth.account.id);
    await noticesOfStoredStep(step, () => lifecycleNotices(step, result.session.id, req.auth.account.id, { kind: 'cosigned' }));
    res.json({ status: result.session.status, digest: result.digest });
  }));

  r.post('/sessions/:id/return', authed(deps, null, async (req, res) => {
    const { reason } = parse(returnBody, req.body);
    const step = readingOnce(deps);
    const session = await returnSession(step, await load(req.auth, req.params, 'review', step), req.auth.account.id, reason);
    await noticesOfStoredStep(step, () => lifecycleNotices(step, session.id, req.auth.account.id, { kind: 'returned' }));
    res.json({ status: session.status });
  }));

  r.get('/sessions/:id/verify', authed(deps, null, readsNotes(deps, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    const events = await deps.store.events.list(session.id);
    const signatures = events.filter((e) => e.kind === 'signed' || e.kind === 'cosigned');
    const signedDigest = isLocked(session.status) ? (currentRound(events).at(-1)?.digest ?? null) : null;
    const digest = await storedDigest(deps, session.id);
    res.json({
      status: session.status,
      digest,
      signedDigest,
      matches: signedDigest === null ? null : signedDigest === digest,
      signatures: signatures.map((e) => ({ kind: e.kind, by: e.actorId, at: new Date(e.at).toISOString(), digest: e.digest })),
    });
  })));

  r.post('/sessions/:id/addenda', authed(deps, null, async (req, res) => {
    const { text, requestId } = parse(addendumBody, req.body);
    const session = await load(req.auth, req.params, 'sign');
    const { addendum, created } = await addAddendum(deps, session, req.auth.account.id, text, requestId);
    res.status(created ? 201 : 200).json({ id: addendum.id, at: new Date(addendum.at).toISOString() });
    // The co-therapist's open page lists it at once (a walk saw it there only after a reload).
    if (created) tellPages(deps, session.id, 'an addendum');
  }));

  r.put('/sessions/:id/group-members', authed(deps, null, async (req, res) => {
    const { labels, base } = parse(groupMembersBody, req.body);
    const session = await load(req.auth, req.params, 'edit');
    const updated = await setGroupMembers(deps, session, labels, base, req.auth.account.id);
    res.json({ labels: updated.groupMembers });
    // The co-therapist's open page offers the labels as they are (walk, 5 Dec: a removed one for 20 s).
    if (updated.groupMembers.join('\n') !== session.groupMembers.join('\n')) tellPages(deps, session.id, 'group members');
  }));

  return r;
}
