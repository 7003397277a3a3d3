import * as Y from 'yjs';
import type { DocStore, LogEntry } from '../persistence/ports';
import type { DeleteSet } from '../../shared/protocol/storedState';
import type { KeptFolds } from './keptFolds';
import { encodeSnapshotMeta } from './snapshotMeta';

export interface CompactionResult {
  before: { rows: number; bytes: number };
  after: { rows: number; bytes: number };
  /** The log had more entries than this step folded (see COMPACTION_STEP_ENTRIES): fold again. */
  more: boolean;
}

/**
 * A compaction folds at most this many log entries; a longer log is folded in steps. Reading the
 * entries and handing them to the fold thread runs on the event loop, ~6.5 µs an entry: a note
 * typed faster than it was folded (the automerge-paper trace fed at full speed) had 160,953
 * entries when a fold began, and the loop stood still for 1,052 ms (in steps: longest stall of
 * that feed 34–60 ms, from other work). Ordinary typing is folded every 500 entries, in one step.
 */
export const COMPACTION_STEP_ENTRIES = 2_000;

/** What a compaction folds: the stored snapshot and the log entries after it. */
export interface FoldInput {
  docId: string;
  snapshot: Uint8Array | null;
  tail: LogEntry[];
  resolutionMs: number;
}

/** The new snapshot (with its meta, when it is exact), and the tail merged per time bucket. */
export interface Folded {
  state: Uint8Array;
  meta: Uint8Array | null;
  merged: LogEntry[];
}

/** Folding is pure CPU work on bytes: the server runs it on a worker thread (compactionWorker.ts). */
export type Fold = (input: FoldInput) => Promise<Folded>;

/** `kept`: documents of earlier folds to continue from (the compaction thread's); none: from the snapshot. */
export function foldLog(input: FoldInput, kept: KeptFolds | null = null): Folded {
  const { snapshot, tail, resolutionMs } = input;
  return foldThroughDoc(input, kept) ?? {
    ...stateOf([...(snapshot ? [snapshot] : []), ...tail.map((e) => e.data)]),
    merged: mergeByTime(tail, resolutionMs),
  };
}

/**
 * The fold, through one Y.Doc that keeps deleted content (gc off) while the tail goes in: each
 * time bucket is applied in one transaction, and the update Yjs emits for it is that bucket's
 * history entry. Yjs writes it as a document stores it, a run of typed characters as one item
 * (Y.mergeUpdates keeps one item per keystroke: the whole automerge-paper trace merged that way
 * per second was 3.4 MB, against 0.38 MB this way), with the deletions made in that bucket. Then
 * the deleted content is collected as a gc-on document would have it, and that state is the
 * snapshot. The document starts as the snapshot, or is the one the note's last fold ended with
 * (kept: see keptFolds.ts), and is kept for the next. Null when some of the tail waits on updates
 * that are not stored: those would be left out of the bucket updates, so the caller keeps the
 * entries as they are.
 */
function foldThroughDoc({ docId, snapshot, tail, resolutionMs }: FoldInput, kept: KeptFolds | null): Folded | null {
  const continued = kept?.take(docId, snapshot) ?? null;
  const doc = continued ?? new Y.Doc({ gc: false });
  let keeping = false;
  try {
    if (!continued && snapshot) Y.applyUpdate(doc, snapshot);
    let emitted: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array) => emitted.push(update);
    const deleted: DeleteSet[] = [];
    const onTransaction = (tr: Y.Transaction) => deleted.push(tr.deleteSet);
    doc.on('update', onUpdate);
    doc.on('afterTransaction', onTransaction);
    const merged: LogEntry[] = [];
    for (const run of runsByTime(tail, resolutionMs)) {
      applyAll(doc, run.map((e) => e.data));
      const last = run.at(-1)!;
      // Formatting clean-up may follow in a transaction of its own; a bucket that only repeated
      // what was stored (an update stored by two processes) adds nothing.
      if (emitted.length > 0) merged.push({ seq: last.seq, at: last.at, data: emitted.length === 1 ? emitted[0]! : Y.mergeUpdates(emitted) });
      emitted = [];
    }
    doc.off('update', onUpdate);
    doc.off('afterTransaction', onTransaction);
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return null;
    // A continued document had everything deleted before this tail collected at its last fold;
    // a snapshot may hold deleted content (one written when a fold could not go through a doc).
    const collect = continued ? Y.mergeDeleteSets(deleted) : Y.createDeleteSetFromStructStore(doc.store);
    Y.tryGc(collect, doc.store, () => true);
    const state = Y.encodeStateAsUpdate(doc);
    const folded = { state, meta: encodeSnapshotMeta(doc), merged };
    if (kept) {
      kept.keep(docId, state, doc);
      keeping = true;
    }
    return folded;
  } finally {
    if (!keeping) doc.destroy();
  }
}

/**
 * Folds a note's log into a snapshot (for fast opening) and coarser history (for replay): log
 * entries are merged per time bucket of `resolutionMs`, so the note can still be shown as it stood
 * at any bucket boundary. Only the entries since the last compaction are read and rewritten; the
 * history earlier ones merged stays as it is. Works from storage alone, not from a live Y.Doc, so
 * it is correct whichever process runs it and whatever that process has in memory. Folds the
 * first `stepEntries` entries after the snapshot; `more` says when there were more. Null when
 * there was nothing to fold.
 */
export async function compactDoc(
  store: DocStore,
  docId: string,
  resolutionMs: number,
  fold: Fold = async (input) => foldLog(input),
  stepEntries = COMPACTION_STEP_ENTRIES,
): Promise<CompactionResult | null> {
  const { snapshot, tail } = await store.load(docId, stepEntries);
  const last = tail.at(-1);
  if (!last) return null;
  const { state, meta, merged } = await fold({ docId, snapshot: snapshot?.data ?? null, tail, resolutionMs });
  await store.compact(docId, { uptoSeq: last.seq, data: state, meta }, merged, snapshot?.uptoSeq ?? 0);
  const bytes = (es: LogEntry[]) => es.reduce((n, e) => n + e.data.byteLength, 0);
  return {
    before: { rows: tail.length, bytes: bytes(tail) },
    after: { rows: merged.length, bytes: bytes(merged) },
    more: tail.length === stepEntries,
  };
}

/** Merges runs of consecutive entries that fall in the same time bucket (when the fold cannot go through a Y.Doc). */
export function mergeByTime(entries: LogEntry[], resolutionMs: number): LogEntry[] {
  return runsByTime(entries, resolutionMs).map((run) => {
    const last = run.at(-1)!;
    return run.length === 1 ? last : { seq: last.seq, at: last.at, data: mergeMany(run.map((e) => e.data)) };
  });
}

/** Runs of consecutive entries in the same time bucket, in order; none is empty. */
function runsByTime(entries: LogEntry[], resolutionMs: number): LogEntry[][] {
  const runs: LogEntry[][] = [];
  let run: LogEntry[] = [];
  for (const e of entries) {
    const first = run[0];
    if (first && Math.floor(first.at / resolutionMs) !== Math.floor(e.at / resolutionMs)) {
      runs.push(run);
      run = [];
    }
    run.push(e);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/**
 * Y.mergeUpdates over many small updates at once is super-linear (20,000 keystrokes: 13.5 s
 * here); merging in halves keeps each level linear, so the whole merge is O(n log n).
 */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
  if (updates.length <= 16) return Y.mergeUpdates(updates);
  const half = updates.length >> 1;
  return Y.mergeUpdates([mergeMany(updates.slice(0, half)), mergeMany(updates.slice(half))]);
}

/** Applies stored parts to a document in one transaction: linear, unlike merging them first. */
export function applyAll(doc: Y.Doc, parts: Uint8Array[]): void {
  doc.transact(() => {
    for (const part of parts) Y.applyUpdate(doc, part);
  });
}

/**
 * One update holding everything in `parts`; exact even when some parts wait on missing ones
 * (then without a meta: the note's state is not what its Y.Doc would say).
 */
function stateOf(parts: Uint8Array[]): { state: Uint8Array; meta: Uint8Array | null } {
  const doc = new Y.Doc();
  applyAll(doc, parts);
  // Structs whose dependencies are not stored stay pending in a Y.Doc and would be dropped.
  const exact = doc.store.pendingStructs === null && doc.store.pendingDs === null;
  const folded = exact ? { state: Y.encodeStateAsUpdate(doc), meta: encodeSnapshotMeta(doc) } : { state: mergeMany(parts), meta: null };
  doc.destroy();
  return folded;
}
