import type { AtomicWrite, SessionCondition, Store } from './ports';
import { KeyNotConfiguredError } from './sealer';

/**
 * A store operation failed: the database could not be reached, or refused to read or write (a
 * full disk, a read-only volume, a lost connection). The HTTP edge answers it with 503 "storage
 * unavailable", in one place (errorHandler); the writers that retry (the update log, the audit
 * queue) keep what they hold.
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  /**
   * The driver's code for the failure, when it gave one (SQLite's `SQLITE_FULL`,
   * `SQLITE_CONSTRAINT_*`, a PostgreSQL SQLSTATE such as `53100`, Node's `ENOSPC`): what tells a
   * full disk from a refused row, in the log line and to any caller that must tell them apart.
   */
  readonly code: string | undefined;

  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(`${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * A write whose COMMIT went out and whose answer never came (the connection lost), and storage
 * could not be asked whether it was done: it may be stored, or not. Said so, not "could not do
 * this" (the person would do again what may be done already).
 */
export class CommitOutcomeUnknownError extends StorageError {
  constructor(cause: unknown) {
    super('COMMIT (its answer was lost, and storage could not be asked whether it was done)', cause);
  }
}

/**
 * A unit of work's conditional write found its row otherwise than it expected (someone else
 * changed it meanwhile: a session's status, a debrief field's version, an account where none
 * should be): nothing of the unit was stored. Not a storage failure: the caller answers it as a
 * conflict, telling the kinds apart by `kind` when its unit holds more than one.
 */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';

  constructor(
    readonly kind: AtomicWrite['kind'],
    readonly id: string,
  ) {
    super(`${kind} ${id} is no longer as the write expected`);
  }
}

/**
 * A write refused because a row with the same unique key was stored first (PostgreSQL `23505`,
 * SQLite `SQLITE_CONSTRAINT_UNIQUE` or `…_PRIMARYKEY`): two requests raced to create the same
 * thing (an admin's double click on "create account", two tags of one name). An answer, not an
 * outage: it said "storage unavailable" (503) and made /healthz say `failing` (operator fault test, 6 Dec).
 */
export class DuplicateRowError extends Error {
  override readonly name = 'DuplicateRowError';

  constructor(readonly operation: string, cause: unknown) {
    super(`${operation}: a row with the same key was stored first`, { cause });
  }
}

const DUPLICATE_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const isDuplicate = (err: unknown): boolean => DUPLICATE_CODES.has(String((err as { code?: unknown } | null)?.code));

/** Whether a session write that changed no row found it otherwise than it expected (it had a condition to find). */
export const isConditional = ({ fromStatuses, fromVersion }: SessionCondition): boolean => fromStatuses !== undefined || fromVersion !== undefined;

/**
 * An append the store refused for good; nothing of it was stored, and retrying cannot help.
 * - `closed`: the note takes no more entries: signed or reviewed, or process notes removed (their
 *   log was purged). Words another process took in before it heard of the change reach storage
 *   after it; checked where the change is (attack, 4 Dec: they were stored under the signatures,
 *   and as a row and a snapshot of process notes already purged).
 * - `client_id_taken`: an entry's writer claims a Yjs client id that storage binds to, or has
 *   seen announced by, another account. A process that could not hear of the other's claim (its
 *   Redis away) judged it free; storage, where every claim is, is the judge (attack, 4 Dec: a
 *   therapist's words stood under her co-therapist's name, and replaced her saved words).
 */
export class AppendRefusedError extends Error {
  override readonly name = 'AppendRefusedError';

  constructor(readonly docId: string, readonly reason: AppendRefusal = 'closed') {
    super(reason === 'closed' ? `note ${docId} is locked (signed) or removed: its log takes no more entries` : `note ${docId}: an entry claims a Yjs client id another account holds`);
  }
}

export type AppendRefusal = 'closed' | 'client_id_taken';

/** Port methods that write: their outcomes say whether storage takes writes (see WriteHealth). */
const WRITES = new Set([
  'append', 'compact', 'create', 'update', 'touch', 'delete', 'deleteForAccount', 'purge', 'putMember', 'removeMember', 'ensure',
  'markRead', 'setResolved', 'commit',
  'setAttendance', 'claimDerivation', 'releaseDerivation', 'updateProcessNote', 'purgeDoc', 'announce', 'renew',
]);

type Operation = (...args: unknown[]) => Promise<unknown>;

/**
 * A write's kind for WriteHealth: the operation and what it writes to when its first argument
 * names it (a note's log: `docs.append <id>`), so one note whose writes fail is not made healthy
 * by another note's that succeed.
 */
const writeKind = (operation: string, args: unknown[]): string => (typeof args[0] === 'string' ? `${operation} ${args[0]}` : operation);

/**
 * `store` as the rest of the server sees it: every failure is a {@link StorageError} naming the
 * operation, and the outcome of every write is reported to `onWrite`.
 */
export function atStorageBoundary(store: Store, onWrite: (kind: string, ok: boolean) => void): Store {
  const guard = <F extends Operation>(operation: string, isWrite: boolean, fn: F): F =>
    (async (...args: unknown[]) => {
      try {
        const result = await fn(...args);
        if (isWrite) onWrite(writeKind(operation, args), true);
        return result;
      } catch (err) {
        // A stale unit of work (someone moved the session meanwhile) or an append to a note locked
        // meanwhile says nothing of whether storage writes; both are answers, passed on as they are.
        const answer = err instanceof StaleWriteError || err instanceof AppendRefusedError || err instanceof DuplicateRowError;
        if (isWrite) onWrite(writeKind(operation, args), answer || isDuplicate(err));
        if (isDuplicate(err)) throw new DuplicateRowError(operation, err);
        // A missing encryption key is the operator's to fix, not an outage to wait out.
        throw answer || err instanceof StorageError || err instanceof KeyNotConfiguredError ? err : new StorageError(operation, err);
      }
    }) as F;
  // Every port is a plain object of functions (closures over their connection), so each can be
  // wrapped by name; the explicit list below makes a new port fail to compile until it is added.
  const port = <T extends object>(name: string, methods: T): T =>
    Object.fromEntries(
      Object.entries(methods).map(([key, fn]) => [key, typeof fn === 'function' ? guard(`${name}.${key}`, WRITES.has(key), fn as Operation) : fn]),
    ) as T;
  return {
    docs: port('docs', store.docs),
    accounts: port('accounts', store.accounts),
    logins: port('logins', store.logins),
    sessions: port('sessions', store.sessions),
    audit: port('audit', store.audit),
    tags: port('tags', store.tags),
    bindings: port('bindings', store.bindings),
    events: port('events', store.events),
    addenda: port('addenda', store.addenda),
    comments: port('comments', store.comments),
    learning: port('learning', store.learning),
    notices: port('notices', store.notices),
    threads: port('threads', store.threads),
    competencies: port('competencies', store.competencies),
    supervisionNotes: port('supervisionNotes', store.supervisionNotes),
    memberNotes: port('memberNotes', store.memberNotes),
    leases: port('leases', store.leases),
    passes: port('passes', store.passes),
    ping: guard('ping', false, store.ping),
    checkWrite: guard('checkWrite', true, store.checkWrite),
    commit: (writes) => guard('commit', true, () => store.commit(writes))(),
    close: store.close,
  };
}
