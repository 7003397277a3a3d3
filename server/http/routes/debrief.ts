import { Router } from 'express';
import { z } from 'zod';
import { debriefFieldParamSchema, debriefFields, saveDebriefBodySchema, type DebriefView } from '../../../shared/domain/debrief';
import { can } from '../../auth/policies';
import { therapistPair } from '../../services/therapistPair';
import { audited } from '../../audit/audited';
import { StaleWriteError } from '../../persistence/storageBoundary';
import { audit, type HttpDeps } from '../context';
import { conflict } from '../../domain/errors';
import { authed } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

/**
 * The pair's huddle and debrief: stored on their own (LearningStore), never in the note, so no
 * digest, export or replay can carry them. The pair writes; their supervisor reads.
 */
export function debriefRoutes(deps: HttpDeps): Router {
  const r = Router();

  const view = async (sessionId: string, canEdit: boolean): Promise<DebriefView> => {
    const saved = new Map((await deps.store.learning.debriefFields(sessionId)).map((f) => [f.field, f]));
    const names = new Map((await deps.store.accounts.list()).map((a) => [a.id, a.name]));
    return {
      sessionId,
      raters: (await therapistPair(deps.store, sessionId)).pair,
      fields: debriefFields.map(({ id }) => {
        const f = saved.get(id);
        return f
          ? { field: id, body: f.body, version: f.version, updatedBy: f.updatedBy, updatedByName: names.get(f.updatedBy) ?? 'Former member', updatedAt: new Date(f.updatedAt).toISOString() }
          : { field: id, body: '', version: 0, updatedBy: null, updatedByName: null, updatedAt: null };
      }),
      canEdit,
    };
  };

  r.get('/sessions/:id/debrief', authed(deps, null, async (req, res) => {
    const session = await loadSessionFor(deps, req.auth, parse(idParam, req.params).id, 'read');
    const result = await view(session.id, can(req.auth.account, 'edit', session.myMembership.role));
    await audit(deps, { actorId: req.auth.account.id, action: 'debrief_read', sessionId: session.id, detail: {} });
    res.json(result);
  }));

  // What changed, without the text: the page asks this often and fetches (audited) only on a change.
  r.get('/sessions/:id/debrief/versions', authed(deps, null, async (req, res) => {
    const session = await loadSessionFor(deps, req.auth, parse(idParam, req.params).id, 'read');
    const saved = await deps.store.learning.debriefFields(session.id);
    res.json(Object.fromEntries(saved.map((f) => [f.field, f.version])));
  }));

  r.put('/sessions/:id/debrief/:field', authed(deps, null, async (req, res) => {
    const { id, field } = parse(debriefFieldParamSchema, req.params);
    const { body, baseVersion } = parse(saveDebriefBodySchema, req.body);
    const session = await loadSessionFor(deps, req.auth, id, 'edit');
    const now = Date.now();
    // The save and its audit record are one unit of work; a save of an older version stores neither.
    await deps.store.commit([
      { kind: 'debriefField', field: { sessionId: session.id, field, body, updatedBy: req.auth.account.id, updatedAt: now }, baseVersion },
      audited({ actorId: req.auth.account.id, action: 'debrief_saved', sessionId: session.id, detail: { field, version: baseVersion + 1 } }, now),
    ]).catch((err: unknown) => {
      throw err instanceof StaleWriteError ? conflict('debrief_changed', 'Your co-therapist saved this field since you started writing; their text is shown, and yours is kept for you to merge.') : err;
    });
    const current = (await view(session.id, true)).fields.find((f) => f.field === field)!;
    res.json(current);
  }));

  return r;
}
