import { DomainError, type DomainErrorKind } from '../domain/errors';

/**
 * A refusal only HTTP knows of (a cross-origin write, a body that is not JSON, a metrics request
 * without its bearer token): a status, a stable code, a sentence for a person, and any headers.
 * The rules of the product throw `DomainError` instead; `httpErrorOf` gives both one shape.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** The one place a domain error's kind becomes an HTTP status. */
const STATUS_OF: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** A domain error as the HTTP refusal it is answered with (a rate limit says when to retry); other errors unchanged. */
export function httpErrorOf(err: unknown): unknown {
  if (!(err instanceof DomainError)) return err;
  const headers: Record<string, string> = err.retryAfterS === undefined ? {} : { 'Retry-After': String(err.retryAfterS) };
  return new AppError(STATUS_OF[err.kind], err.code, err.message, err.field, headers);
}
