import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AccountRole } from '../../shared/domain/roles';
import { BACKGROUND_HEADER } from '../../shared/protocol/background';
import { SESSION_COOKIE } from '../auth/logins';
import { CommitOutcomeUnknownError, DuplicateRowError, StorageError } from '../persistence/storageBoundary';
import type { AuthedRequest, HttpDeps } from './context';
import { readCookie } from '../auth/cookies';
import { forbidden, unauthenticated } from '../domain/errors';
import { AppError, httpErrorOf } from './errors';
import { isSameOrigin, type OriginPolicy } from '../auth/origin';
import { answersFor } from './heldResponses';

type Handler = (req: AuthedRequest, res: Response) => Promise<void>;

/** Wraps an async handler so a thrown error reaches the error handler. */
export const route =
  (fn: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req, res, next) => {
    fn(req, res).catch(next);
  };

/** Requires a live login (and optionally an account role); 401/403 otherwise. */
export function authed(deps: HttpDeps, roles: AccountRole[] | null, fn: Handler): RequestHandler {
  return route(async (req, res) => {
    // A page's own polls are not use (BACKGROUND_HEADER): each one refreshed the idle clock, so a
    // page left open on a note awaiting signatures, or with its access list shown, kept its login
    // alive until the absolute timeout (attack, 6 Dec).
    const token = readCookie(req, SESSION_COOKIE);
    const auth = await (req.get(BACKGROUND_HEADER) === '1' ? deps.logins.check(token) : deps.logins.resolve(token));
    if (!auth) throw unauthenticated();
    if (roles && !roles.includes(auth.account.role)) throw forbidden('Your role does not allow this.');
    (req as AuthedRequest).auth = auth;
    answersFor(res, auth.account.id);
    await fn(req as AuthedRequest, res);
  });
}

/**
 * A handler that reads whole notes (review, export, digest…): admitted as one of the caller's
 * readings (NoteReader.admit: 429 or 503 past the bounds) until it has answered.
 */
export function readsNotes(deps: Pick<HttpDeps, 'notes'>, fn: Handler): Handler {
  return async (req, res) => {
    const release = deps.notes.admit(req.auth.account.id);
    try {
      await fn(req, res);
    } finally {
      release();
    }
  };
}

/**
 * CSRF defence for state-changing requests: same origin (Origin header or Sec-Fetch-Site) and a
 * JSON body type, which a cross-site form cannot send without a CORS preflight we never grant.
 */
export function sameOriginWrites(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    if (!isSameOrigin(req, policy)) return next(new AppError(403, 'cross_origin', 'Cross-origin requests are not allowed.'));
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
    if ((hasBody || req.method === 'POST' || req.method === 'PATCH') && !req.is('application/json')) {
      return next(new AppError(415, 'unsupported_media_type', 'Send the request body as application/json.'));
    }
    next();
  };
}

/** Marks the parse error of a body that names a reserved key (errorHandler answers it). */
const RESERVED_KEY = 'reserved JSON key';

/**
 * Refuses `__proto__` as a key anywhere in a body. zod's records skip it without a word (prototype
 * safety), so `{"attendance": {"__proto__": "absent"}}` was answered 200 and changed nothing
 * (attack, 2 Dec): bad input gets a clear error instead.
 */
export function refuseReservedKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError(`${RESERVED_KEY} "__proto__"`);
  return value;
}

/** What a 503 for failing storage asks clients to wait before trying again. */
const STORAGE_RETRY_AFTER_S = 5;

/** Maps every error to `{error: {code, message, field?}}`; unexpected ones are logged, not shown. */
export function errorHandler(deps: HttpDeps) {
  return (thrown: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const err = httpErrorOf(thrown);
    if (err instanceof AppError) {
      res.set(err.headers).status(err.status).json({ error: { code: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) } });
      return;
    }
    const e = err as { type?: string; status?: number };
    if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'body_too_large', message: 'The request body is too large.' } });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      const reserved = err instanceof Error && err.message.includes(RESERVED_KEY);
      res.status(400).json({ error: reserved ? { code: 'reserved_key', message: 'The request body uses "__proto__" as a key, which is not accepted.' } : { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
      return;
    }
    // The router could not percent-decode a path parameter (`/api/sessions/%ZZ`): the client's mistake, not ours.
    if (err instanceof URIError) {
      res.status(400).json({ error: { code: 'invalid_path', message: 'The address is not validly percent-encoded.' } });
      return;
    }
    if (err instanceof DuplicateRowError) {
      res.status(409).json({ error: { code: 'already_exists', message: 'Someone else created the same thing a moment ago (the same email, name or id). Reload to see it.' } });
      return;
    }
    if (err instanceof CommitOutcomeUnknownError) {
      deps.log.error('storage stopped answering as a write was committed; whether it was stored is not known', { err, code: req.method });
      res.set('Retry-After', String(STORAGE_RETRY_AFTER_S)).status(503).json({
        error: { code: 'storage_outcome_unknown', message: 'Storage stopped answering just as this was being saved, so the server cannot tell whether it was. Reload to see whether it was done before you try again.' },
      });
      return;
    }
    if (err instanceof StorageError) {
      // Not a fault of the request: the database is down or refuses writes (a full disk).
      deps.log.error('storage unavailable; request refused', { err, code: req.method });
      res.set('Retry-After', String(STORAGE_RETRY_AFTER_S)).status(503).json({
        error: { code: 'storage_unavailable', message: 'Storage is unavailable, so the server could not do this. Try again in a moment.' },
      });
      return;
    }
    deps.log.error('request failed', { err, code: req.method });
    res.status(500).json({ error: { code: 'internal', message: 'The server could not complete the request; it has been logged.' } });
  };
}
