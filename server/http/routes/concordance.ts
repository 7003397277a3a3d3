import { Router } from 'express';
import { z } from 'zod';
import { concordanceQuerySchema, type ConcordanceView } from '../../../shared/domain/concordance';
import { unavailableConcordance } from '../../review/concordance';
import { reviewFacts } from '../../review/reviewModel';
import { therapistPair } from '../../services/therapistPair';
import type { HttpDeps } from '../context';
import { authed, readsNotes } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { assertPart } from '../../services/sessionParts';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

/** `GET /api/sessions/:id/concordance`: the two therapists' observations lined up (server/review/concordance.ts). */
export function concordanceRoutes(deps: HttpDeps): Router {
  const r = Router();
  r.get('/sessions/:id/concordance', authed(deps, null, readsNotes(deps, async (req, res) => {
    const session = await loadSessionFor(deps, req.auth, parse(idParam, req.params).id, 'read');
    await assertPart(deps.store, session.id, 'pairLearning');
    const { window } = parse(concordanceQuerySchema, req.query);
    const { pair, count } = await therapistPair(deps.store, session.id);
    let view: ConcordanceView;
    const blind = await deps.store.learning.blindSetting(session.id);
    if (!pair) {
      view = unavailableConcordance(session.id, window, null, `A concordance compares two therapists; this session has ${count}.`);
    } else if (blind?.enabled && blind.revealedAt === null) {
      view = unavailableConcordance(session.id, window, pair, 'This session is blind: each therapist’s observations stay private until both press Reveal or the session ends. The comparison appears then.');
    } else {
      const note = await deps.notes.stored(session.id);
      view = await deps.notes.read(note, 'concordance', { facts: await reviewFacts(deps.store, session), sessionId: session.id, raters: pair, windowSeconds: window });
    }
    await deps.noteReads.record(req.auth, session.id, 'concordance', { window });
    res.json(view);
  })));
  return r;
}
