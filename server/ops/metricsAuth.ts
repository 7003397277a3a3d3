import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from '../http/errors';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Guards /metrics with the bearer token from TANDEM_METRICS_TOKEN: the figures (who is connected
 * to how many notes, when) are operational data a stranger should not read. Compared as digests in
 * constant time, so the answer's timing does not spell the token out.
 */
export function requireMetricsToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req, _res, next) => {
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (given !== undefined && timingSafeEqual(digest(given), expected)) return next();
    next(new AppError(401, 'unauthorized', 'Send the metrics token as `Authorization: Bearer <token>`.', undefined, { 'WWW-Authenticate': 'Bearer' }));
  };
}
