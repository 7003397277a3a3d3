import { Router } from 'express';
import { z } from 'zod';
import { auditActions, type AuditAction } from '../../../shared/domain/audit';
import { dayOrInstantSchema } from '../../../shared/domain/supervisor';
import type { AuditFilter } from '../../persistence/ports';
import { readableAuditLog } from '../../supervisor/auditLog';
import { dateRange } from '../../supervisor/clinicDays';
import { csvTable } from '../../supervisor/csv';
import { audit, type HttpDeps } from '../context';
import { invalid } from '../../domain/errors';
import { authed } from '../middleware';
import { presentAudit } from '../presenters';
import { parse } from '../validate';

const query = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  sessionId: z.uuid().optional(),
  before: z.coerce.number().int().positive().optional(),
  actorId: z.uuid().optional(),
  action: z.enum(auditActions).optional(),
  from: dayOrInstantSchema.optional(),
  to: dayOrInstantSchema.optional(),
});
/** The CSV carries up to this many records (the filters narrow it). */
const EXPORT_LIMIT = 50_000;

export function auditRoutes(deps: HttpDeps): Router {
  const r = Router();
  const filterOf = (q: z.infer<typeof query>, limit: number): AuditFilter => {
    const range = dateRange(q, deps.config.timeZone, (field, message) => invalid('invalid_input', message, field));
    // A visit is folded into one row, so asking for openings brings their leavings along.
    const actions: AuditAction[] | undefined = q.action ? (q.action === 'session_opened' ? ['session_opened', 'session_left'] : [q.action]) : undefined;
    return {
      limit, ...(q.sessionId ? { sessionId: q.sessionId } : {}), ...(q.before ? { beforeId: q.before } : {}), ...(q.actorId ? { actorId: q.actorId } : {}),
      ...(actions ? { actions } : {}), ...range,
    };
  };

  r.get('/audit', authed(deps, ['admin'], async (req, res) => {
    const q = parse(query, req.query);
    const rows = await deps.store.audit.list(filterOf(q, q.limit));
    const accounts = new Map((await deps.store.accounts.list()).map((a) => [a.id, a]));
    res.json(rows.map((e) => presentAudit(e, accounts)));
  }));

  /** The log in words, with visits folded, for the privacy officer's page. */
  r.get('/audit/log', authed(deps, ['admin'], async (req, res) => {
    const q = parse(query, req.query);
    const rows = await deps.store.audit.list(filterOf(q, q.limit));
    res.json({ rows: await readableAuditLog(deps.store, rows, deps.config.timeZone), timeZone: deps.config.timeZone, more: rows.length === q.limit ? rows.at(-1)!.id : null });
  }));

  /** The filtered log as CSV; the export is itself audited, with its filters, before it is sent. */
  r.get('/audit/export.csv', authed(deps, ['admin'], async (req, res) => {
    const q = parse(query.omit({ limit: true, before: true }).strict(), req.query);
    const rows = await deps.store.audit.list(filterOf({ ...q, limit: EXPORT_LIMIT }, EXPORT_LIMIT));
    const log = await readableAuditLog(deps.store, rows, deps.config.timeZone);
    const filters = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined));
    await audit(deps, { actorId: req.auth.account.id, action: 'audit_exported', sessionId: null, detail: { count: log.length, filters } });
    const header = ['when', 'until', 'who', 'action', 'session', 'session id', 'detail', 'record'];
    const lines = log.map((l) => [l.when, l.leftAt ?? '', l.actorName ?? '', l.words, l.sessionTitle ?? '', l.sessionId ?? '', l.detail, l.id]);
    res.type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="tandem-audit.csv"').send(csvTable(header, lines));
  }));
  return r;
}
