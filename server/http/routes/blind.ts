import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import { newBlindObservationSchema, setBlindBodySchema, type BlindAnchor, type BlindStateView, type PrivateObservationView } from '../../../shared/domain/blind';
import { isLocked } from '../../../shared/domain/lifecycle';
import { formatOffset, type Observation } from '../../../shared/domain/observation';
import type { Authenticated } from '../../auth/logins';
import type { SessionAction } from '../../auth/policies';
import { MAX_OBSERVATIONS_PER_AUTHOR } from '../../collab/writerLimits';
import { revealBlind, type RevealDeps } from '../../learning/reveal';
import { revealConsent, waitingMessage, type RevealConsent } from '../../learning/revealConsent';
import { readingOnce } from '../../persistence/readsOnce';
import { followUpStoredStep, readAfterStored } from '../../services/afterStored';
import type { BlindObservationRecord, SessionRecord } from '../../persistence/ports';
import { StorageError } from '../../persistence/storageBoundary';
import type { HttpDeps } from '../context';
import { audited } from '../../audit/audited';
import { invalid, conflict, unprocessable } from '../../domain/errors';
import { authed, readsNotes } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { assertPart } from '../../services/sessionParts';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });
const empty = z.object({}).strict();

/** What a press of Reveal that was stored says when whom it waits for could not be read. */
const PRESS_KEPT = 'Your press of Reveal is recorded. Whether your co-therapist has pressed it too could not be read just now; the observations are revealed as soon as both of you have, and this page shows it.';

/**
 * Blind mode: chosen before the session starts; until the reveal each therapist's observations are
 * kept by the server and sent to their author only (the shared note holds no trace of them, and
 * the write gate refuses observations in it). The reveal merges them into the note when both
 * therapists pressed Reveal, or when the session ends.
 */
export function blindRoutes(deps: HttpDeps): Router {
  const r = Router();
  const load = async (auth: Authenticated, params: unknown, action: SessionAction, from: Pick<HttpDeps, 'store'> = deps) => {
    const session = await loadSessionFor(from, auth, parse(idParam, params).id, action);
    await assertPart(from.store, session.id, 'blind');
    return session;
  };

  const stateOf = async (session: SessionRecord): Promise<BlindStateView> => {
    const setting = await deps.store.learning.blindSetting(session.id);
    const names = new Map((await deps.store.accounts.list()).map((a) => [a.id, a.name]));
    const requests = setting?.enabled ? await deps.store.learning.revealRequests(session.id) : [];
    return {
      enabled: setting?.enabled ?? false,
      revealedAt: setting?.revealedAt ? new Date(setting.revealedAt).toISOString() : null,
      revealRequests: requests.map((q) => ({ accountId: q.accountId, name: names.get(q.accountId) ?? 'Former member', at: new Date(q.at).toISOString() })),
      canChange: session.status === 'scheduled',
    };
  };

  /**
   * The state after a change was stored: read, or when that read fails, what the change made as
   * far as this request knows (`known`): a 503 told a press of Reveal that revealed, or blind mode
   * set, that it was not done (fault attack, 7 Dec).
   */
  const stateAfter = (session: SessionRecord, known: Omit<BlindStateView, 'canChange'>): Promise<BlindStateView> =>
    readAfterStored(deps, 'reading the blind state', () => stateOf(session), () => ({ ...known, canChange: session.status === 'scheduled' }));

  /** `quote`: the words its anchor covers in the note now (anchorQuote). */
  const present = (o: BlindObservationRecord, quote: string, session: SessionRecord): PrivateObservationView => {
    const codebook = new Map(deps.tags.all().map((t) => [t.id, t]));
    const record = JSON.parse(o.record) as Observation;
    const anchor = JSON.parse(o.anchor) as BlindAnchor;
    return {
      id: o.id,
      tags: record.tags.map((id) => {
        const tag = codebook.get(id);
        return { id, name: tag?.name ?? id, color: tag?.color ?? '#666666' };
      }),
      member: record.member,
      forCoTherapist: record.forCoTherapist,
      kind: record.kind,
      quote,
      at: new Date(o.receivedAt).toISOString(),
      offset: session.startedAt === null ? null : formatOffset(o.receivedAt - session.startedAt),
      anchor,
    };
  };

  const privateNow = async (sessionId: string) => {
    const setting = await deps.store.learning.blindSetting(sessionId);
    return setting !== null && setting.enabled && setting.revealedAt === null;
  };

  r.get('/sessions/:id/blind', authed(deps, null, async (req, res) => {
    res.json(await stateOf(await load(req.auth, req.params, 'read')));
  }));

  r.put('/sessions/:id/blind', authed(deps, null, async (req, res) => {
    const { enabled } = parse(setBlindBodySchema, req.body);
    const session = await load(req.auth, req.params, 'edit');
    // "Started": the session clock was started (status moved on from scheduled).
    if (session.status !== 'scheduled') throw conflict('session_started', `Blind mode is chosen before the session starts; this session is ${session.status}, so it stays ${(await stateOf(session)).enabled ? 'blind' : 'open'}.`);
    // Switching it off would drop what was kept private (nothing else would ever merge it). Only
    // notes of before 4 Dec can hold any before the start (observations are kept from the start).
    if (!enabled && (await deps.store.learning.blindObservations(session.id)).length > 0) {
      throw conflict('blind_has_observations', 'Observations were already kept private in this session, so it stays blind: they join the note at the reveal.');
    }
    const at = Date.now();
    await deps.store.commit([
      { kind: 'blindSetting', setting: { sessionId: session.id, enabled, setBy: req.auth.account.id, setAt: at, revealedAt: null } },
      audited({ actorId: req.auth.account.id, action: 'blind_mode_set', sessionId: session.id, detail: { enabled } }, at),
    ]);
    deps.blind.set(session.id, enabled);
    // Open copies reconnect (here and, told through the fan-out, on other processes), so every
    // process's write gate knows the setting before anything more is written.
    deps.access.sessionChanged(session.id, 'blind mode changed');
    res.json(await stateAfter(session, { enabled, revealedAt: null, revealRequests: [] }));
  }));

  r.post('/sessions/:id/blind/observations', authed(deps, null, readsNotes(deps, async (req, res) => {
    const body = parse(newBlindObservationSchema, req.body);
    const session = await load(req.auth, req.params, 'edit');
    if (isLocked(session.status)) throw conflict('locked', 'The note is signed; nothing can be added to it.');
    if (!(await privateNow(session.id))) throw conflict('not_blind', 'This session is not blind (or was revealed): write observations into the note.');
    // Kept from the start only: while the setting can still change, whether it could be switched
    // off told the co-therapist whether anything was kept (409 below; attack, 4 Dec).
    if (session.status === 'scheduled') throw conflict('not_started', 'In a blind session observations are kept private from its start: start the session, then tag.');
    const unknown = body.tags.find((t) => !deps.tags.isUsable(t));
    if (unknown) throw invalid('unknown_tag', `Tag "${unknown}" is not in the clinic’s codebook.`, 'tags');
    if (body.member !== null && !session.groupMembers.includes(body.member)) throw invalid('unknown_member', `"${body.member}" is not one of this session’s group members.`, 'member');
    const place = await deps.notes.readStored(session.id, 'blindAnchor', body.anchor);
    if (!place.resolves) throw unprocessable('anchor_gone', 'The words or place you tagged are not in the note (any more); select them again.', 'anchor');
    const now = Date.now();
    const record: Observation = {
      id: randomUUID(), tags: body.tags, authorId: req.auth.account.id, createdAt: now, kind: body.anchor.kind, member: body.member, forCoTherapist: body.forCoTherapist,
    };
    const stored: BlindObservationRecord = {
      id: record.id, sessionId: session.id, authorId: record.authorId, record: JSON.stringify(record), anchor: JSON.stringify(body.anchor),
      receivedAt: now, offsetMs: session.startedAt === null ? null : Math.max(0, now - session.startedAt), late: session.status === 'ended',
    };
    const added = await deps.store.learning.addBlindObservation(stored, MAX_OBSERVATIONS_PER_AUTHOR);
    if (added === 'limit') throw conflict('too_many_observations', `A therapist can make at most ${MAX_OBSERVATIONS_PER_AUTHOR} observations in one note; you have made them here already.`);
    if (added === 'revealed') throw conflict('not_blind', 'The observations were revealed just now: write this one into the note.');
    res.status(201).json(present(stored, place.quote, session));
  })));

  // Only ever the caller's own: before the reveal nobody else may read them, after it they are in the note.
  r.get('/sessions/:id/blind/observations', authed(deps, null, readsNotes(deps, async (req, res) => {
    const session = await load(req.auth, req.params, 'edit');
    if (!(await privateNow(session.id))) return void res.json([]);
    const mine = await deps.store.learning.blindObservations(session.id, req.auth.account.id);
    const quotes = await deps.notes.readStored(session.id, 'blindQuotes', mine.map((o) => JSON.parse(o.anchor) as BlindAnchor));
    const views = mine.map((o, i) => present(o, quotes[i]!, session));
    await deps.noteReads.record(req.auth, session.id, 'private');
    res.json(views);
  })));

  r.post('/sessions/:id/blind/reveal', authed(deps, null, async (req, res) => {
    parse(empty, req.body ?? {});
    const step = readingOnce(deps);
    const session = await load(req.auth, req.params, 'edit', step);
    const setting = await step.store.learning.blindSetting(session.id);
    if (!setting?.enabled) throw conflict('not_blind', 'This session is not blind; there is nothing to reveal.');
    if (setting.revealedAt !== null) return void res.json({ revealed: true, state: await stateOf(session) });
    const at = Date.now();
    await step.store.commit([
      { kind: 'revealRequest', sessionId: session.id, accountId: req.auth.account.id, at },
      audited({ actorId: req.auth.account.id, action: 'blind_reveal_requested', sessionId: session.id, detail: {} }, at),
    ]);
    const press: BlindStateView['revealRequests'][number] = { accountId: req.auth.account.id, name: req.auth.account.name, at: new Date(at).toISOString() };
    const ended = session.status !== 'scheduled' && session.status !== 'live';
    const ids = (people: { accountId: string }[]) => people.map((p) => p.accountId);
    const reveal = (from: RevealDeps, consent: RevealConsent) =>
      revealBlind(from, session, req.auth.account.id, ended ? 'session_ended' : 'both_pressed', ended ? {} : { notWaitedFor: ids(consent.notWaitedFor), takenOff: ids(consent.takenOff) });
    const waits = (consent: RevealConsent) => consent.waitingFor.length > 0 && !ended;
    const consent = await revealConsent(step.store, session.id).catch((err: unknown) => {
      if (!(err instanceof StorageError)) throw err;
      // Stored, the press stands: answered 503 "could not do this", and when it was the last one
      // waited for nobody revealed (fault attack, 7 Dec). Whether it reveals is worked out again on
      // a timer; the pages learn of a reveal as of any (their copies reconnect).
      deps.log.warn('a press of Reveal was stored, and whom it waits for could not be read; worked out again', { err, sessionId: session.id });
      void followUpStoredStep(deps, 'revealing after a press of Reveal', async () => {
        const now = await revealConsent(deps.store, session.id);
        if (!waits(now)) await reveal(deps, now);
      });
      return null;
    });
    if (consent === null) {
      return void res.status(202).json({
        revealed: false, waitingFor: [], notWaitedFor: [], message: PRESS_KEPT,
        state: { enabled: true, revealedAt: null, revealRequests: [press], canChange: session.status === 'scheduled' },
      });
    }
    if (waits(consent)) {
      return void res.status(202).json({
        revealed: false,
        waitingFor: consent.waitingFor.map((p) => p.name),
        notWaitedFor: [...consent.notWaitedFor, ...consent.takenOff].map((p) => p.name),
        message: waitingMessage(consent),
        state: await stateAfter(session, { enabled: true, revealedAt: null, revealRequests: [press] }),
      });
    }
    await reveal(step, consent);
    res.json({ revealed: true, state: await stateAfter(session, { enabled: true, revealedAt: new Date().toISOString(), revealRequests: [press] }) });
  }));

  return r;
}
