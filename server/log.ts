import type { Config } from './config';

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
type Level = Exclude<keyof typeof LEVELS, 'silent'>;

/**
 * Fields a log line may carry. Deliberately a closed set of ids, counts and codes: note text,
 * member labels, names and passwords have no field to go in, so they cannot reach the log.
 */
export interface LogFields {
  sessionId?: string;
  accountId?: string;
  connectionId?: string;
  code?: string | number;
  count?: number;
  bytes?: number;
  ms?: number;
  port?: number;
  /** A peer's network address, so the operator can block a flood at the firewall (never a name). */
  address?: string;
  err?: unknown;
  [key: `n_${string}`]: number;
}

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Errors are reduced to name, message and code: stacks are kept, but never request bodies. */
function describeError(err: unknown): unknown {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { name: err.name, message: err.message, ...(code !== undefined ? { code } : {}), stack: err.stack };
  }
  return String(err);
}

/** One JSON line per event on stdout (info and below) or stderr (warn and above). */
export function createLogger(level: Config['logLevel'], write: (line: string, isError: boolean) => void = defaultWrite): Logger {
  const min = LEVELS[level];
  const emit = (lvl: Level, msg: string, fields?: LogFields) => {
    if (LEVELS[lvl] < min) return;
    const { err, ...rest } = fields ?? {};
    const line = JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...rest, ...(err !== undefined ? { err: describeError(err) } : {}) });
    write(line, LEVELS[lvl] >= LEVELS.warn);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

function defaultWrite(line: string, isError: boolean): void {
  (isError ? process.stderr : process.stdout).write(line + '\n');
}
