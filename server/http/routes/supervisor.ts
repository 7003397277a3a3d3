import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import {
  createCompetencyBodySchema, createSupervisionNoteBodySchema, markNoticesBodySchema, queueQuerySchema, resolveBodySchema, updateCompetencyBodySchema,
  type LiveEvent,
} from '../../../shared/domain/supervisor';
import { SESSION_COOKIE } from '../../auth/logins';
import type { CompetencyRecord } from '../../persistence/ports';
import { dateRange } from '../../supervisor/clinicDays';
import { inbox } from '../../supervisor/notices';
import { buildQueue } from '../../supervisor/queue';
import { loadForSupervision, presentCompetency, presentSupervisionNote } from '../../supervisor/supervisionNotes';
import { rootOf, threadViews } from '../../supervisor/threads';
import { audit, type AuthedRequest, type HttpDeps } from '../context';
import { audited } from '../../audit/audited';
import { readCookie } from '../../auth/cookies';
import { DomainError, invalid, forbidden, notFound, conflict, rateLimited, unavailable } from '../../domain/errors';
import { authed } from '../middleware';
import { tellPages } from '../tellPages';
import { loadSessionFor } from '../sessionAccess';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });
const commentParam = z.object({ id: z.uuid(), commentId: z.uuid() });
const competencyParam = z.object({ id: z.string().min(1).max(64) });
const noticesQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
/** A comment on an open stream every this often, so proxies keep it and a logout ends it. */
const STREAM_HEARTBEAT_MS = 15_000;
/** Live update streams: per account (tabs of one person), per process, and unread bytes per stream. */
const MAX_STREAMS_PER_ACCOUNT = 12;
const MAX_STREAMS = 2000;
const MAX_STREAM_BUFFER_BYTES = 64 * 1024;
/** Supervision notes one session holds at most (each up to 20,000 characters: about 4 MB read at once). */
export const MAX_SUPERVISION_NOTES = 200;

/** The review queue, notices, the live stream, comment-thread state, and supervision notes. */
export function supervisorRoutes(deps: HttpDeps): Router {
  const r = Router();
  const invalidInput = (field: string, message: string) => invalid('invalid_input', message, field);

  r.get('/queue', authed(deps, ['supervisor', 'clinician'], async (req, res) => {
    const query = parse(queueQuerySchema, req.query);
    const range = dateRange(query, deps.config.timeZone, invalidInput);
    const { view, reasonsSent } = await buildQueue(deps.store, req.auth.account, query, range);
    for (const sessionId of reasonsSent) await deps.noteReads.record(req.auth, sessionId, 'queue');
    res.json(view);
  }));

  // ---- Notices ----

  r.get('/notices', authed(deps, null, async (req, res) => {
    const { limit } = parse(noticesQuery, req.query);
    res.json(await inbox(deps.store, req.auth.account, limit));
  }));

  r.post('/notices/read', authed(deps, null, async (req, res) => {
    const { ids } = parse(markNoticesBodySchema, req.body ?? {});
    const changed = await deps.store.notices.markRead(req.auth.account.id, ids ?? null, Date.now());
    deps.live.toAccounts([req.auth.account.id], { type: 'notices' });
    res.json({ changed });
  }));

  /**
   * Server-sent events for the caller's open pages: "comments changed on session X", "new
   * notices". Ids only; the page asks the API for the content, authorized and audited there.
   */
  r.get('/events', authed(deps, null, async (req, res) => {
    // Each stream holds a socket and a timer: one login must not be able to hold them all.
    if (deps.live.countFor(req.auth.account.id) >= MAX_STREAMS_PER_ACCOUNT) {
      throw rateLimited('too_many_streams', `At most ${MAX_STREAMS_PER_ACCOUNT} pages of one account get live updates at once; close some tabs and reload.`);
    }
    if (deps.live.size >= MAX_STREAMS) throw unavailable('busy', 'The server is at its limit of live update streams; reload in a minute.');
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write('retry: 3000\n\n');
    const token = readCookie(req, SESSION_COOKIE);
    // Events and heartbeats go out in order, and only while this login still holds: a logout or a
    // password change ends the stream at its next event or heartbeat (the heartbeat alone let it
    // hear events for up to its period). Asking is not use (`check`, as a websocket's reconnect):
    // with `resolve` every heartbeat and event refreshed the idle clock, so a tab left open kept
    // its login alive for the whole 12 hours (attack, 6 Dec).
    let sending = Promise.resolve();
    const whileLoggedIn = (write: () => void) => {
      sending = sending.then(async () => {
        const holds = await deps.logins.check(token).catch(() => null);
        // The stream may have ended meanwhile (the page left, a reconnect-all): nothing to write.
        if (res.writableEnded) return;
        if (holds) write();
        else res.end();
      });
    };
    const send = (event: LiveEvent) =>
      whileLoggedIn(() => {
        // A page that stops reading is let go (it reconnects and reloads) rather than buffered for.
        if (res.writableLength > MAX_STREAM_BUFFER_BYTES) res.end();
        else res.write(`data: ${JSON.stringify(event)}\n\n`);
      });
    const unsubscribe = deps.live.subscribe(req.auth.account.id, send, () => res.end());
    const heartbeat = setInterval(() => whileLoggedIn(() => res.write(': still here\n\n')), STREAM_HEARTBEAT_MS);
    heartbeat.unref();
    // The response's close, not the request's: a request closes once its body has been read,
    // which a body-counting middleware did at once and ended every page's stream (6 Dec).
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }));

  // ---- Comment threads ----

  r.get('/sessions/:id/threads', authed(deps, null, async (req, res) => {
    const session = await loadSessionFor(deps, req.auth, parse(idParam, req.params).id, 'read');
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    res.json(await threadViews(deps.store, session.id, accounts));
  }));

  const rootComment = async (req: AuthedRequest) => {
    const { id, commentId } = parse(commentParam, req.params);
    const session = await loadSessionFor(deps, req.auth, id, 'comment');
    const comment = await deps.store.comments.byId(commentId);
    if (!comment || comment.sessionId !== session.id) throw notFound('The comment');
    return { session, rootId: rootOf(comment) };
  };

  r.post('/sessions/:id/comments/:commentId/resolve', authed(deps, null, async (req, res) => {
    const { resolved } = parse(resolveBodySchema, req.body);
    const { session, rootId } = await rootComment(req);
    const at = Date.now();
    await deps.store.commit([
      { kind: 'threadState', state: { rootId, sessionId: session.id, resolvedBy: resolved ? req.auth.account.id : null, resolvedAt: resolved ? at : null } },
      audited({ actorId: req.auth.account.id, action: resolved ? 'thread_resolved' : 'thread_reopened', sessionId: session.id, detail: { commentId: rootId } }, at),
    ]);
    tellPages(deps, session.id, resolved ? 'a thread resolved' : 'a thread reopened', 'comments');
    res.json({ rootId, resolved });
  }));

  r.post('/sessions/:id/comments/:commentId/read', authed(deps, null, async (req, res) => {
    const { session, rootId } = await rootComment(req);
    await deps.store.threads.markRead(session.id, { rootId, accountId: req.auth.account.id, readAt: Date.now() });
    tellPages(deps, session.id, 'a thread read', 'comments');
    res.status(204).end();
  }));

  // ---- Competency codebook (the admin keeps it; supervisors and therapists read it) ----

  r.get('/competencies', authed(deps, null, async (_req, res) => {
    res.json((await deps.store.competencies.list()).map(presentCompetency));
  }));

  const nameTaken = async (name: string, except?: string) =>
    (await deps.store.competencies.list()).some((c) => !c.retired && c.id !== except && c.name.toLowerCase() === name.toLowerCase());

  r.post('/competencies', authed(deps, ['admin'], async (req, res) => {
    const body = parse(createCompetencyBodySchema, req.body);
    if (await nameTaken(body.name)) throw conflict('competency_exists', `A competency named "${body.name}" already exists.`);
    const all = await deps.store.competencies.list();
    const competency: CompetencyRecord = { id: randomUUID(), ...body, retired: false, position: all.length, createdAt: Date.now() };
    await deps.store.commit([
      { kind: 'createCompetency', competency },
      audited({ actorId: req.auth.account.id, action: 'competency_created', sessionId: null, detail: { competencyId: competency.id } }),
    ]);
    res.status(201).json(presentCompetency(competency));
  }));

  r.patch('/competencies/:id', authed(deps, ['admin'], async (req, res) => {
    const { id } = parse(competencyParam, req.params);
    const patch = parse(updateCompetencyBodySchema, req.body);
    const existing = (await deps.store.competencies.list()).find((c) => c.id === id);
    if (!existing) throw notFound('The competency');
    if (patch.name && (await nameTaken(patch.name, id))) throw conflict('competency_exists', `A competency named "${patch.name}" already exists.`);
    await deps.store.commit([
      { kind: 'updateCompetency', id, patch },
      audited({ actorId: req.auth.account.id, action: 'competency_updated', sessionId: null, detail: { competencyId: id, changed: Object.keys(patch) } }),
    ]);
    res.json(presentCompetency({ ...existing, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) }));
  }));

  // ---- Supervision notes: apart from the record, for the supervisor and the two therapists ----

  r.get('/sessions/:id/supervision-notes', authed(deps, null, async (req, res) => {
    const { id } = parse(idParam, req.params);
    // A refused attempt to read them is recorded too: who tried, on which session.
    const { session, members } = await loadForSupervision(deps.store, req.auth, id).catch(async (err: unknown) => {
      if (err instanceof DomainError && err.kind === 'forbidden') {
        await audit(deps, { actorId: req.auth.account.id, action: 'access_refused', sessionId: id, detail: { what: 'supervision notes' } });
      }
      throw err;
    });
    const [notes, accounts, codebook] = await Promise.all([deps.store.supervisionNotes.list(session.id), deps.store.accounts.list(), deps.store.competencies.list()]);
    await audit(deps, { actorId: req.auth.account.id, action: 'supervision_notes_read', sessionId: session.id, detail: { count: notes.length } });
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const codes = new Map(codebook.map((c) => [c.id, c]));
    res.json(notes.map((n) => presentSupervisionNote(n, byId, members, codes)));
  }));

  r.post('/sessions/:id/supervision-notes', authed(deps, null, async (req, res) => {
    const { id } = parse(idParam, req.params);
    const body = parse(createSupervisionNoteBodySchema, req.body);
    const { session, members } = await loadForSupervision(deps.store, req.auth, id);
    const all = await deps.store.competencies.list();
    const usable = new Set(all.filter((c) => !c.retired).map((c) => c.id));
    const unknown = body.codes.findIndex((c) => !usable.has(c));
    if (unknown >= 0) throw invalid('unknown_code', `codes.${unknown}: "${body.codes[unknown]}" is not in the competency codebook.`, `codes.${unknown}`);
    if (new Set(body.codes).size !== body.codes.length) throw invalid('invalid_input', 'codes: each code once', 'codes');
    const aboutId = body.aboutId ?? null;
    if (aboutId !== null && !members.some((m) => m.accountId === aboutId && m.role === 'therapist')) {
      throw invalid('invalid_input', 'aboutId: not a therapist of this session', 'aboutId');
    }
    if (aboutId !== null && req.auth.account.role !== 'supervisor') throw forbidden('Only the supervisor writes a note about one therapist.');
    // Bounded like a note's observations: 2,000 notes of 20,000 characters were taken, and each read
    // of them (40 MB) then held the process for seconds (attack, 4 Dec).
    if ((await deps.store.supervisionNotes.list(session.id)).length >= MAX_SUPERVISION_NOTES) {
      throw conflict('too_many_notes', `A session holds at most ${MAX_SUPERVISION_NOTES} supervision notes; this one has them already.`);
    }
    const note = { id: randomUUID(), sessionId: session.id, authorId: req.auth.account.id, aboutId, body: body.body, codes: body.codes, createdAt: Date.now() };
    // Read before the note is stored: read after it, a failure answered 503 for a note that stood (fault attack, 7 Dec).
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    const codebook = new Map(all.map((c) => [c.id, c]));
    await deps.store.commit([
      { kind: 'supervisionNote', note },
      audited({ actorId: req.auth.account.id, action: 'supervision_note_added', sessionId: session.id, detail: { supervisionNoteId: note.id, codes: note.codes } }, note.createdAt),
    ]);
    res.status(201).json(presentSupervisionNote(note, accounts, members, codebook));
  }));

  return r;
}
