import type { NextFunction, Request, Response } from 'express';
import { Router } from 'express';
import { z } from 'zod';
import type { Authenticated } from '../../auth/logins';
import type { SessionAction } from '../../auth/policies';
import { createProcessNote, processNoteIfVisible, removedProcessNote, shareProcessNote, keptProcessNote } from '../../members/processNotes';
import { presentProcessNote } from '../../members/processNoteView';
import { answeredAsStored } from '../../members/processNoteAnswer';
import { removeOrAsk, retainOrAsk, withdrawRemovalAsk } from '../../members/processNoteConsent';
import { otherKeepers } from '../../members/processNoteAsks';
import type { ProcessNoteRecord } from '../../persistence/ports';
import { noticesOfStoredStep } from '../../supervisor/commentNotices';
import { notify } from '../../supervisor/notices';
import type { HttpDeps } from '../context';
import { membersOf, tellKeepers } from '../tellPages';
import { DomainError } from '../../domain/errors';
import { authed } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });
/** Days to keep the process notes (then they are removed), or null to keep them until a therapist removes them. */
const retainDays = z.number().int().min(1).max(3650).nullable();
const createBody = z.object({ retainDays: retainDays.default(null) }).strict();
const retentionBody = z.object({ retainDays }).strict();
const empty = z.object({}).strict();

/**
 * Routes of a session's record that a process note's own session never answers: process notes are
 * not a record (no review, replay, export, digest or signature), and their members are not changed
 * through the session's member routes (sharing is the one way in). Case-insensitive, as Express's
 * routing is (`/Review` reaches the review route), and matched on the decoded path.
 */
const RECORD_PATH = /^\/sessions\/([0-9a-fA-F-]{36})\/(review|replay|timeline|export\.md|export\.pdf|comments|verify|sign|cosign|return|addenda|start|end|members|group-members|attendance|member-notes|sign-check|process-note|concordance|debrief|blind|supervision-notes|threads)(\/|$)/i;

/** The notices of one keeper's ask to remove the notes: each replaces that keeper's earlier one. */
const REMOVAL_ASK_NOTICES = ['process_removal_asked', 'process_removal_withdrawn'] as const;

/**
 * Puts a notice of `actorId`'s ask to remove the notes, or its withdrawal, in the other keepers'
 * inboxes, in place of their notice of this keeper's last such step: a keeper can ask and withdraw
 * at will, and each press put one more unread notice there (attack, 6 Dec: forty presses, forty
 * notices, B's other notices pushed out of the inbox).
 */
const noticeOtherKeepers = (deps: HttpDeps, note: ProcessNoteRecord, actorId: string, kind: (typeof REMOVAL_ASK_NOTICES)[number]) =>
  noticesOfStoredStep(deps, async () => notify(deps, await otherKeepers(deps.store, note, actorId), { kind, sessionId: note.sessionId, actorId, replaces: REMOVAL_ASK_NOTICES }));

/** The process-note layer: its own document and its own authorization, apart from the record. */
export function processNoteRoutes(deps: HttpDeps): Router {
  const r = Router();
  const load = (auth: Authenticated, params: unknown, action: SessionAction) => loadSessionFor(deps, auth, parse(idParam, params).id, action);

  r.use(async (req: Request, _res: Response, next: NextFunction) => {
    let path = req.path;
    try {
      path = decodeURIComponent(req.path);
    } catch {
      // A malformed escape reaches no route either; the path as sent is matched.
    }
    const match = RECORD_PATH.exec(path);
    try {
      if (match && (await deps.store.memberNotes.processNote(match[1]!, 'process'))) throw new DomainError('not_found', 'not_a_record', 'Process notes are not part of the record; this is not available for them.');
      next();
    } catch (err) {
      next(err);
    }
  });

  r.get('/sessions/:id/process-note', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'read');
    // Every session page asks, so "none you may see" is an answer (null), not a 404 in each console.
    const note = await processNoteIfVisible(deps, session);
    res.json(note ? await presentProcessNote(deps, note, req.auth.account.id) : await removedProcessNote(deps, session));
  }));

  r.post('/sessions/:id/process-note', authed(deps, null, async (req, res) => {
    const body = parse(createBody, req.body ?? {});
    const session = await load(req.auth, req.params, 'edit');
    const step = answeredAsStored(deps);
    const { note, created } = await createProcessNote(step.deps, session, req.auth, body.retainDays);
    res.status(created ? 201 : 200).json(await step.view(note, req.auth.account.id));
    if (created) tellKeepers(deps, session.id, note.processSessionId, []);
  }));

  r.put('/sessions/:id/process-note/retention', authed(deps, null, async (req, res) => {
    const body = parse(retentionBody, req.body);
    const session = await load(req.auth, req.params, 'edit');
    const kept = await keptProcessNote(deps, session);
    const before = await membersOf(deps, kept.processSessionId);
    const step = answeredAsStored(deps, kept);
    const note = await retainOrAsk(step.deps, kept, req.auth.account.id, body.retainDays);
    res.json(await step.view(note, req.auth.account.id));
    tellKeepers(deps, session.id, note.processSessionId, before);
  }));

  r.post('/sessions/:id/process-note/share', authed(deps, null, async (req, res) => {
    parse(empty, req.body ?? {});
    const session = await load(req.auth, req.params, 'edit');
    const kept = await keptProcessNote(deps, session);
    const before = await membersOf(deps, kept.processSessionId);
    const step = answeredAsStored(deps, kept);
    res.json(await step.view(await shareProcessNote(step.deps, kept, req.auth.account.id), req.auth.account.id));
    tellKeepers(deps, session.id, kept.processSessionId, before);
  }));

  r.delete('/sessions/:id/process-note', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'edit');
    const note = await keptProcessNote(deps, session);
    const before = await membersOf(deps, note.processSessionId);
    const step = answeredAsStored(deps, note);
    const done = await removeOrAsk(step.deps, note, req.auth.account.id);
    if (done === 'asked') await noticeOtherKeepers(deps, note, req.auth.account.id, 'process_removal_asked');
    // Asked (the co-keeper's words stay until they agree): 202 with the notes as they now stand.
    if (done === 'removed') res.status(204).end();
    else res.status(202).json(await step.view(note, req.auth.account.id));
    tellKeepers(deps, session.id, note.processSessionId, before);
  }));

  r.delete('/sessions/:id/process-note/removal-ask', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, req.params, 'edit');
    const note = await keptProcessNote(deps, session);
    const step = answeredAsStored(deps, note);
    await withdrawRemovalAsk(step.deps, note, req.auth.account.id);
    await noticeOtherKeepers(deps, note, req.auth.account.id, 'process_removal_withdrawn');
    res.json(await step.view(note, req.auth.account.id));
    tellKeepers(deps, session.id, note.processSessionId, []);
  }));

  return r;
}
