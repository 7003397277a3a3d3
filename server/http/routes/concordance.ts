import { Router } from 'express';
import { z } from 'zod';
import { concordanceQuerySchema, type ConcordanceView } from '../../../shared/domain/concordance';
import { concordance, ratedFromReview, unavailableConcordance } from '../../review/concordance';
import { buildReview } from '../../review/reviewModel';
import { loadStoredNote } from '../../review/sessionNote';
import { recordNoteRead } from '../../services/noteAccess';
import { therapistPair } from '../../services/therapistPair';
import type { HttpDeps } from '../context';
import { authed } from '../middleware';
import { loadSessionFor } from '../sessionAccess';
import { parse } from '../validate';

const idParam = z.object({ id: z.uuid() });

/** `GET /api/sessions/:id/concordance`: the two therapists' observations lined up (server/review/concordance.ts). */
export function concordanceRoutes(deps: HttpDeps): Router {
  const r = Router();
  r.get('/sessions/:id/concordance', authed(deps, null, async (req, res) => {
    const session = await loadSessionFor(deps, req.auth, parse(idParam, req.params).id, 'read');
    const { window } = parse(concordanceQuerySchema, req.query);
    const { pair, count } = await therapistPair(deps.store, session.id);
    let view: ConcordanceView;
    const blind = await deps.store.learning.blindSetting(session.id);
    if (!pair) {
      view = unavailableConcordance(session.id, window, null, `A concordance compares two therapists; this session has ${count}.`);
    } else if (blind?.enabled && blind.revealedAt === null) {
      view = unavailableConcordance(session.id, window, pair, 'This session is blind: each therapist’s observations stay private until both press Reveal or the session ends. The comparison appears then.');
    } else {
      await deps.collab.loaded(session.id)?.persist.drain();
      const doc = await loadStoredNote(deps.store.docs, session.id);
      const review = await buildReview(deps.store, session, doc, await deps.store.bindings.forSession(session.id));
      doc.destroy();
      view = concordance({
        sessionId: session.id,
        raters: pair,
        observations: ratedFromReview(review.observations, review.blocks),
        windowSeconds: window,
      });
    }
    await recordNoteRead(deps, req.auth.account.id, session.id, 'concordance', { window });
    res.json(view);
  }));
  return r;
}
