import { Router } from 'express';
import { z } from 'zod';
import type { HttpDeps } from '../context';
import { notFound } from '../../domain/errors';
import { authed } from '../middleware';
import { followUpStoredStep } from '../../services/afterStored';
import { parse } from '../validate';

const idParam = z.object({ id: z.string().min(1).max(400) });

/** The admin sees who is being slowed down at login, and can lift it (e.g. after a phone call). */
export function loginThrottleRoutes(deps: HttpDeps): Router {
  const r = Router();

  r.get('/login-throttles', authed(deps, ['admin'], async (_req, res) => {
    res.json(await deps.throttle.list());
  }));

  r.delete('/login-throttles/:id', authed(deps, ['admin'], async (req, res) => {
    const { id } = parse(idParam, req.params);
    if (!(await deps.throttle.clear(id))) throw notFound('That count of failed logins');
    // Cleared, it stays cleared (the count is kept apart from storage, so the two are no unit of
    // work): a failed audit write answered 503 for a count that was gone, and the admin's retry 404.
    // The record, of the time it was cleared, is written as a follow-up, tried again on a timer.
    const at = Date.now();
    await followUpStoredStep(deps, 'recording a cleared count of failed logins', () =>
      deps.store.audit.append({ at, actorId: req.auth.account.id, action: 'login_throttle_cleared', sessionId: null, detail: { throttle: id } }));
    res.status(204).end();
  }));

  return r;
}
