import { backoffDelay, type Backoff } from '../../shared/backoff';
import type { Logger } from '../log';
import { LockUnavailableError, type CompactionLock } from '../locks/CompactionLock';
import type { DocStore } from '../persistence/ports';
import { compactDoc, type Fold } from './compaction';

export interface CompactionDeps {
  store: DocStore;
  log: Logger;
  /** Compact a note once this many log entries were stored since its last compaction. */
  compactAfterUpdates: number;
  historyResolutionMs: number;
  /** Where compaction's CPU work runs (the server: a worker thread); default: in line. */
  fold?: Fold;
  /** Runs a compaction only if nobody else is compacting that note (another process, with Redis). */
  lock: CompactionLock;
}

/** One note's compactions: counts what was stored since the last one, and runs one at a time. */
export interface NoteCompaction {
  /** `count` more log entries are durable; starts a compaction past the threshold. */
  stored(count: number): void;
  /** Finishes a compaction in progress, then folds what was stored after it (when unloading). */
  finish(): Promise<void>;
  /** Folds what is stored now, however little was counted (a note opened with a long log). */
  now(): Promise<void>;
}

/**
 * Waits after a note's compaction failed before the next is started by stored entries. Without
 * it every stored batch started another (each reading the whole note and folding it on the
 * thread, each an error line): 240 attempts while 300 lines were typed, with snapshots refused
 * (operator fault test, 6 Dec).
 */
const RETRY: Backoff = { firstMs: 1_000, maxMs: 5 * 60_000 };

/**
 * Waits after the compaction lock was refused: an attempt then costs one refused command (nothing
 * read or folded), so it is tried again sooner, and compaction resumes within 30 s of Redis taking
 * the lock again (a note's count keeps growing meanwhile).
 */
const LOCK_RETRY: Backoff = { firstMs: 1_000, maxMs: 30_000 };

/**
 * Folds notes' update logs into snapshots, off the update path: a compaction starts on its own
 * turn of the event loop, and a failed one leaves the log as it is.
 */
export class CompactionSchedule {
  private readonly running = new Set<Promise<void>>();
  /** The turn of the event loop the last compaction to start was given (see `nextTurn`). */
  private turns: Promise<void> = Promise.resolve();

  constructor(private readonly deps: CompactionDeps) {}

  /** The compaction state of one loaded note. */
  forNote(sessionId: string): NoteCompaction {
    let since = 0;
    let current: Promise<void> | null = null;
    /** Failed compactions in a row, and before when stored entries start none (backoff). */
    let failures = 0;
    let notBefore = 0;
    const compact = (): Promise<void> => {
      if (current) return current;
      const run = this.run(sessionId, since, failures).then((folded) => {
        if (typeof folded !== 'number') {
          notBefore = Date.now() + backoffDelay(failures++, folded === 'lock refused' ? LOCK_RETRY : RETRY);
          return;
        }
        failures = 0;
        since -= folded;
      }).finally(() => {
        current = null;
        this.running.delete(run);
      });
      current = run;
      this.running.add(run);
      return run;
    };
    return {
      stored: (count) => {
        since += count;
        if (since >= this.deps.compactAfterUpdates && !current && Date.now() >= notBefore) setImmediate(() => void compact());
      },
      finish: async () => {
        await current;
        if (since > 0) await compact();
      },
      now: compact,
    };
  }

  /** Resolves once no compaction runs (the store must stay open until then). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /**
   * Resolves on a turn of the event loop of its own, one compaction after another. A compaction
   * reads the note's log on the loop (SQLite reads are synchronous, 1–5 ms a note): when many
   * notes unload at once (their unload timers fire in one timers phase), reading all their logs
   * back to back held the loop for 176 ms (150 notes); a turn each lets keystrokes through between.
   */
  private nextTurn(): Promise<void> {
    const turn = this.turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.turns = turn;
    return turn;
  }

  /**
   * Folds the note's log in steps (compaction.ts: COMPACTION_STEP_ENTRIES), each on a turn of its
   * own and under the lock, until a step finds no more. Resolves with how many stored entries the
   * compaction covered, null when a step failed, `lock refused` when the lock could not be asked
   * (`failed`: how many did before in a row).
   */
  private async run(sessionId: string, seen: number, failed: number): Promise<number | null | 'lock refused'> {
    const { store, log, historyResolutionMs, fold, lock } = this.deps;
    let more = true;
    const step = async () => {
      await this.nextTurn();
      const started = performance.now();
      const result = await compactDoc(store, sessionId, historyResolutionMs, fold);
      more = result?.more ?? false;
      if (result) {
        log.debug('note compacted', { sessionId, ms: Math.round(performance.now() - started), n_rowsBefore: result.before.rows, n_rowsAfter: result.after.rows });
      }
    };
    try {
      // A lock held elsewhere skips the step (more stays false): that process folds the rest. A
      // lock that could not be asked fails the compaction: what was counted stays counted.
      while (more) {
        more = false;
        await lock.withLock(sessionId, step);
      }
      return seen;
    } catch (err) {
      // The lock says its outage once for every note (RedisCompactionLock); the note waits as after a failure.
      if (err instanceof LockUnavailableError) {
        log.debug('compaction waits for the lock', { sessionId, n_attempt: failed + 1 });
        return 'lock refused';
      }
      log.error('compaction failed; the log stays as it is, and the next one waits', { sessionId, err, n_attempt: failed + 1 });
      return null;
    }
  }
}
