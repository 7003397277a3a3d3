import { Router } from 'express';
import { z } from 'zod';
import type { HttpDeps } from '../context';
import { authed } from '../middleware';
import { presentAudit } from '../presenters';
import { parse } from '../validate';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  sessionId: z.uuid().optional(),
  before: z.coerce.number().int().positive().optional(),
});

export function auditRoutes(deps: HttpDeps): Router {
  const r = Router();
  r.get('/audit', authed(deps, ['admin'], async (req, res) => {
    const q = parse(query, req.query);
    const rows = await deps.store.audit.list({ limit: q.limit, ...(q.sessionId ? { sessionId: q.sessionId } : {}), ...(q.before ? { beforeId: q.before } : {}) });
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    res.json(rows.map((e) => presentAudit(e, accounts)));
  }));
  return r;
}
