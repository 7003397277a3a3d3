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

/** An Error rebuilt on the caller's side, with the thread's name, message and `code`. */
export class ThreadError extends Error {
  readonly code: string | undefined;

  constructor(wire: WireError) {
    super(wire.message);
    this.name = wire.name;
    this.code = wire.code;
  }
}
