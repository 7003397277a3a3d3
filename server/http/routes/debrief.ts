import { Router } from 'express';
import { z } from 'zod';
import { debriefFieldParamSchema, debriefFields, saveDebriefBodySchema, type DebriefFieldId, type DebriefView } from '../../../shared/domain/debrief';
import type { DebriefFieldRecord } from '../../persistence/ports';
import { can } from '../../auth/policies';
import { therapistPair, type TherapistPair } from '../../services/therapistPair';
import { readAfterStored } from '../../services/afterStored';
import { debriefRaters, type DebriefRaters } from '../../learning/debriefRaters';
import { audited } from '../../audit/audited';
import { StaleWriteError } from '../../persistence/storageBoundary';
import { audit, type HttpDeps } from '../context';
import { conflict, forbidden } from '../../domain/errors';
import { authed } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { assertPart } from '../../services/sessionParts';
import type { Authenticated } from '../../auth/logins';
import type { SessionAction } from '../../auth/policies';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

/** Who alone may write a field named for one therapist: undefined for a shared field, null when it is nobody's (no pair to name). */
function writerOf(field: DebriefFieldId, raters: DebriefRaters): string | null | undefined {
  const named = debriefFields.find((f) => f.id === field);
  if (!named || !('writer' in named)) return undefined;
  return raters[named.writer]?.accountId ?? null;
}

/** Refuses a save of a field that is another therapist's own account (or nobody's: no pair to name). */
function checkWriter(field: DebriefFieldId, raters: DebriefRaters, accountId: string): void {
  const writer = writerOf(field, raters);
  if (writer === undefined || writer === accountId) return;
  if (writer === null) throw conflict('debrief_no_pair', 'This field is one therapist’s own account of a pair’s session, and this session does not have two therapists.', 'field');
  throw forbidden('This field is your co-therapist’s own account of what they noticed: only they write it. Write yours in your own field, or where you differed.', 'debrief_not_yours');
}

/** Every saved version of the session's debrief, and whose own account each field named for one therapist is. */
interface DebriefNow {
  history: DebriefFieldRecord[];
  nameOf: (accountId: string) => string;
  raters: DebriefRaters;
  /** The pair the raters were judged from. */
  pair: TherapistPair | null;
}

async function debriefNow(deps: HttpDeps, sessionId: string): Promise<DebriefNow> {
  const [history, accounts, { pair }] = await Promise.all([deps.store.learning.debriefHistory(sessionId), deps.store.accounts.list(), therapistPair(deps.store, sessionId)]);
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  const nameOf = (id: string) => names.get(id) ?? 'Former member';
  return { history, nameOf, pair, raters: debriefRaters(pair, history, nameOf) };
}

/**
 * The debrief as read before `saved` was stored, with it: the field's versions up to the one it
 * replaced, then it. What a save answers with when the debrief cannot be read again after it.
 */
function withSave(before: DebriefNow, saved: DebriefFieldRecord): DebriefNow {
  const history = [...before.history.filter((v) => v.field !== saved.field || v.version < saved.version), saved];
  return { ...before, history, raters: debriefRaters(before.pair, history, before.nameOf) };
}

/** Every field with its current words and the earlier versions a later save replaced (kept in storage, shown, never lost). */
function presentDebrief({ history, nameOf, raters }: DebriefNow, sessionId: string, accountId: string, canEdit: boolean): DebriefView {
  return {
    sessionId,
    raters,
    fields: debriefFields.map(({ id }) => {
      const versions: DebriefFieldRecord[] = history.filter((v) => v.field === id).reverse();
      const [f, ...earlier] = versions;
      const writer = writerOf(id, raters);
      const mayWrite = canEdit && (writer === undefined || writer === accountId);
      const head = f
        ? { body: f.body, version: f.version, updatedBy: f.updatedBy, updatedByName: nameOf(f.updatedBy), updatedAt: new Date(f.updatedAt).toISOString() }
        : { body: '', version: 0, updatedBy: null, updatedByName: null, updatedAt: null };
      const past = earlier.map((v) => ({ version: v.version, body: v.body, savedBy: v.updatedBy, savedByName: nameOf(v.updatedBy), savedAt: new Date(v.updatedAt).toISOString() }));
      return { field: id, ...head, canEdit: mayWrite, earlier: past };
    }),
    canEdit,
  };
}

/**
 * The pair's huddle and debrief: stored on their own (LearningStore), never in the note, so no
 * digest, export or replay can carry them. The pair writes; their supervisor reads.
 */
export function debriefRoutes(deps: HttpDeps): Router {
  const r = Router();
  const load = async (auth: Authenticated, id: string, action: SessionAction) => {
    const session = await loadSessionFor(deps, auth, id, action);
    await assertPart(deps.store, session.id, 'pairLearning');
    return session;
  };

  r.get('/sessions/:id/debrief', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, parse(idParam, req.params).id, 'read');
    const result = presentDebrief(await debriefNow(deps, session.id), session.id, req.auth.account.id, can(req.auth.account, 'edit', session.myMembership.role));
    await audit(deps, { actorId: req.auth.account.id, action: 'debrief_read', sessionId: session.id, detail: {} });
    res.json(result);
  }));

  // What changed, without the text: the page asks this often and fetches (audited) only on a change.
  r.get('/sessions/:id/debrief/versions', authed(deps, null, async (req, res) => {
    const session = await load(req.auth, parse(idParam, req.params).id, 'read');
    const saved = await deps.store.learning.debriefFields(session.id);
    res.json(Object.fromEntries(saved.map((f) => [f.field, f.version])));
  }));

  r.put('/sessions/:id/debrief/:field', authed(deps, null, async (req, res) => {
    const { id, field } = parse(debriefFieldParamSchema, req.params);
    const { body, baseVersion } = parse(saveDebriefBodySchema, req.body);
    const session = await load(req.auth, id, 'edit');
    const before = await debriefNow(deps, session.id);
    checkWriter(field, before.raters, req.auth.account.id);
    const now = Date.now();
    // The save and its audit record are one unit of work; a save of an older version stores neither.
    await deps.store.commit([
      { kind: 'debriefField', field: { sessionId: session.id, field, body, updatedBy: req.auth.account.id, updatedAt: now }, baseVersion },
      audited({ actorId: req.auth.account.id, action: 'debrief_saved', sessionId: session.id, detail: { field, version: baseVersion + 1 } }, now),
    ]).catch((err: unknown) => {
      throw err instanceof StaleWriteError ? conflict('debrief_changed', 'Your co-therapist saved this field since you started writing; their text is shown, and yours is kept for you to merge.') : err;
    });
    // Stored, the save stands: when the debrief cannot be read again, the field is answered as the save
    // made it (before, 7 Dec: 503 for a save that stood, and the retry refused as debrief_changed).
    const saved: DebriefFieldRecord = { sessionId: session.id, field, body, updatedBy: req.auth.account.id, updatedAt: now, version: baseVersion + 1 };
    const after = await readAfterStored(deps, 'reading the debrief', () => debriefNow(deps, session.id), () => withSave(before, saved));
    res.json(presentDebrief(after, session.id, req.auth.account.id, true).fields.find((f) => f.field === field)!);
  }));

  return r;
}
