/**
 * An error as it crosses between a worker thread and the main thread. postMessage's structured
 * clone keeps an Error's name and message but drops own properties such as better-sqlite3's and
 * Node's `code` (`SQLITE_CONSTRAINT_TRIGGER`, `SQLITE_FULL`, `ENOSPC`), which is what tells a
 * constraint failure from a full disk, so the error travels as this plain shape instead.
 */
export interface WireError {
  name: string;
  message: string;
  /** The error's `code`, when it had a string one. */
  code?: string;
}

/** What a thread posts for a failed request: the error's name, message and string `code`. */
export function toWireError(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const { code } = err as { code?: unknown };
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
}

/**
 * What a thread's `'error'` event carries (it threw outside a request, e.g. while opening its
 * database), as an Error. Node clones an error of a class of its own (better-sqlite3's SqliteError)
 * as a plain object of its own properties: `{ code: 'SQLITE_CANTOPEN' }`, its message lost, and
 * a start that failed so said `Tandem could not start: [object Object]` (operator fault test, 6 Dec).
 */
export function threadFailure(thread: string, err: unknown): Error {
  if (err instanceof Error) return err;
  const { code, message } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown };
  const said = typeof message === 'string' ? `: ${message}` : '';
  const coded = typeof code === 'string' ? code : undefined;
  return new ThreadError({ name: 'Error', message: `worker thread ${thread} failed${coded ? ` (${coded})` : ''}${said}`, ...(coded ? { code: coded } : {}) });
}

/** An Error rebuilt on the caller's side, with the thread's name, message and `code`. */
export class ThreadError extends Error {
  readonly code: string | undefined;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
  }
}
