/**
 * Errors the rules of the product raise, with no notion of a transport: services and domain
 * modules throw these, and the HTTP edge maps each `kind` to a status once (http/errors.ts), so a
 * rule means the same wherever it is checked.
 */

/**
 * What went wrong, in the caller's terms:
 * - `invalid`: the request names or holds something unusable (HTTP 400);
 * - `unauthenticated`: no valid login (401);
 * - `forbidden`: logged in, but not allowed (403);
 * - `not_found`: no such thing, or none the caller may know of (404);
 * - `conflict`: the thing's state does not allow it now (409);
 * - `unprocessable`: well formed, but does not fit the content it refers to (422);
 * - `rate_limited`: too many attempts or streams; `retryAfterS` says when to try again (429);
 * - `unavailable`: the server cannot take it on now (503).
 */
export type DomainErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable' | 'rate_limited' | 'unavailable';

/** A refusal meant for a person: its kind, a stable snake_case `code`, a sentence, and optionally the input field at fault. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Seconds after which trying again may succeed (rate_limited). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const invalid = (code: string, message: string, field?: string) => new DomainError('invalid', code, message, field);
export const unauthenticated = (code = 'unauthorized', message = 'Log in to continue.') => new DomainError('unauthenticated', code, message);
export const forbidden = (message = 'You do not have access to this.', code = 'forbidden') => new DomainError('forbidden', code, message);
/** `what` starts the sentence: notFound('The session') → "The session was not found.". */
export const notFound = (what: string) => new DomainError('not_found', 'not_found', `${what} was not found.`);
export const conflict = (code: string, message: string, field?: string) => new DomainError('conflict', code, message, field);
export const unprocessable = (code: string, message: string, field?: string) => new DomainError('unprocessable', code, message, field);
export const rateLimited = (code: string, message: string, retryAfterS?: number) => new DomainError('rate_limited', code, message, undefined, retryAfterS);
export const unavailable = (code: string, message: string) => new DomainError('unavailable', code, message);
