import { Router } from 'express';
import { z } from 'zod';
import { audit, type HttpDeps } from '../context';
import { notFound } from '../../domain/errors';
import { authed } from '../middleware';
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
    await audit(deps, { actorId: req.auth.account.id, action: 'login_throttle_cleared', sessionId: null, detail: { throttle: id } });
    res.status(204).end();
  }));

  return r;
}
