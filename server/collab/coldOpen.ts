import type { DocStore, StoredDoc } from '../persistence/ports';

/**
 * Past this many bytes of stored state with a log tail, a note is compacted before it opens:
 * the fold runs on the compaction thread, and the note then opens from its snapshot
 * (StoredSnapshot, built in slices). Applied in one turn instead, a note of about 17,000
 * paragraphs with two 3 MB pastes in its tail held the event loop 4–6 s (operator fault test,
 * 3 Dec); a tail a note is usually left with (under `TANDEM_COMPACT_AFTER_UPDATES` keystrokes on a
 * one-hour note's snapshot) stays below it and is applied at once, without a thread round trip.
 */
const FOLD_BEFORE_OPEN_BYTES = 256 * 1024;

/**
 * The note's stored state to open it from. A long tail (a process that died before compacting,
 * or another process's writes) is compacted first by `compact`, which never throws (a failed or
 * skipped compaction leaves the log as it is, and the note is then built from it in line).
 */
export async function storedForOpen(store: DocStore, sessionId: string, compact?: () => Promise<void>): Promise<StoredDoc> {
  const stored = await store.load(sessionId);
  if (!compact || stored.tail.length === 0) return stored;
  const bytes = stored.tail.reduce((n, e) => n + e.data.byteLength, stored.snapshot?.data.byteLength ?? 0);
  if (bytes < FOLD_BEFORE_OPEN_BYTES) return stored;
  await compact();
  return store.load(sessionId);
}
