import type { AuditRecord, DocStore } from '../ports';
import { AppendRefusedError } from '../storageBoundary';
import { exactCopy, type ThreadClient } from '../../threads/ThreadClient';
import { emptyBatch, type Refused, type sqliteLogWriter, type WriteBatch } from './sqliteLogWriter';
import type { SqliteRequest } from './sqliteProtocol';

/**
 * How long writes gather before they are handed to the worker as one commit. "Saved" comes this
 * much later; in exchange, under load one fsync and one thread wake-up cover many keystrokes of
 * many notes (and the audit records of a wave of reconnections), and the worker's share of the
 * server's core shrinks.
 */
const GROUP_COMMIT_MS = 5;

/** The writes made by the writer: each resolves once it is durable. */
export interface Writes extends Pick<DocStore, 'append' | 'compact'> {
  audit(record: AuditRecord): Promise<void>;
  touchLogin(tokenHash: string, at: number): Promise<void>;
  checkWrite(): Promise<void>;
}

/**
 * The frequent writes, gathered on the main thread for GROUP_COMMIT_MS and handed to `thread` (the
 * SQLite thread) as one batch, so one commit covers them all.
 */
export function batchedLogWriter(thread: ThreadClient<SqliteRequest, unknown>): Writes {
  let batch = emptyBatch();
  /** The gathering batch's commit: the notes whose entries it refused and why. */
  let committed: Promise<Refused[]> | null = null;
  /** The commit the worker is making now; the next batch is handed over only once it is done. */
  let inFlight: Promise<void> = Promise.resolve();
  const add = (put: (b: WriteBatch) => void): Promise<Refused[]> => {
    put(batch);
    // The window grows with the load: while one commit is on the worker, the next batch keeps
    // gathering (it would only wait in the worker's queue), so a slow fsync means fewer, larger
    // commits and fewer wake-ups of the worker on the event loop's core, not a queue of small ones.
    committed ??= Promise.all([new Promise((resolve) => setTimeout(resolve, GROUP_COMMIT_MS)), inFlight]).then(async () => {
      const gathered = batch;
      batch = emptyBatch();
      committed = null;
      const commit = thread.request({ kind: 'batch', batch: gathered }) as Promise<Refused[]>;
      inFlight = commit.then(() => undefined, () => undefined);
      return commit;
    });
    return committed;
  };
  return {
    append: (docId, entries) => add((b) => b.logs.push({ docId, entries: entries.map(exactCopy) })).then((refused) => refusedIf(refused, docId)),
    audit: (record) => add((b) => b.audit.push(record)).then(() => undefined),
    touchLogin: (tokenHash, at) => add((b) => b.touches.push({ tokenHash, at })).then(() => undefined),
    checkWrite: () =>
      add((b) => {
        b.check = true;
      }).then(() => undefined),
    compact: async (docId, snapshot, merged, afterSeq) => {
      await thread.request({ kind: 'compact', docId, snapshot: exactCopy(snapshot), merged: merged.map(exactCopy), afterSeq });
    },
  };
}

/** The same writes made at once, one transaction each, on the SQLite thread's own connection. */
export function inLineLogWriter(writer: ReturnType<typeof sqliteLogWriter>): Writes {
  const write = async (put: (b: WriteBatch) => void): Promise<Refused[]> => {
    const batch = emptyBatch();
    put(batch);
    return writer.write({ kind: 'batch', batch });
  };
  return {
    append: async (docId, entries) => refusedIf(await write((b) => b.logs.push({ docId, entries })), docId),
    audit: async (record) => void (await write((b) => b.audit.push(record))),
    touchLogin: async (tokenHash, at) => void (await write((b) => b.touches.push({ tokenHash, at }))),
    checkWrite: async () =>
      void (await write((b) => {
        b.check = true;
      })),
    compact: async (docId, snapshot, merged, afterSeq) => {
      writer.write({ kind: 'compact', docId, snapshot, merged, afterSeq });
    },
  };
}

/** Throws AppendRefusedError when the commit refused `docId`'s entries. */
function refusedIf(refused: readonly Refused[], docId: string): void {
  const refusal = refused.find((r) => r.docId === docId);
  if (refusal) throw new AppendRefusedError(docId, refusal.reason);
}
