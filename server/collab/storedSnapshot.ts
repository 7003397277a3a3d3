import * as Y from 'yjs';
import type { LogEntry } from '../persistence/ports';
import { decodeSnapshotMeta, type SnapshotMeta } from './snapshotMeta';
import { SlicedBuild } from './slicedBuild';
import type { NoteForSync } from './syncAnswer';
import * as wire from './wire';

/**
 * Past this many times the snapshot's size, the history is not worth building from (a note
 * compacted before the history was written per second as Yjs stores it: 11 times the snapshot for
 * the automerge-paper trace); the snapshot is applied in one turn instead.
 */
const HISTORY_BUILD_LIMIT = 3;

/** How long writers' edits wait for the stored history to be read before the note is built from its snapshot at once, ms. */
const HISTORY_WAIT_MS = 5000;

/**
 * The cold-open stage: a compacted note served from its stored bytes. To readers it is served
 * from the snapshot, to writers also from its meta (state vector and delete set, decoded when a
 * writer comes). The Y.Doc, as much work as the rest of opening the note, is built when a writer
 * comes (`prebuild`: from the note's stored history, in slices of a few milliseconds), or at once
 * when an edit or fan-out message needs it first (`complete`). Until the note changes, a client
 * that holds nothing yet (every cold open) gets the stored bytes as they are, framed once.
 */
export class StoredSnapshot {
  private applied = false;
  /** The snapshot's bytes, and framed as sync step 2 once asked; let go once the Y.Doc holds them (an open note's memory). */
  private state: Uint8Array | null;
  private frame: Uint8Array | null = null;
  /** The decoded meta; null when it did not decode (or there is none), undefined before trying. */
  private decoded: SnapshotMeta | null | undefined;
  private build: SlicedBuild | 'reading' | null = null;

  constructor(
    state: Uint8Array,
    private readonly metaBytes: Uint8Array | null,
    /** The last log entry the snapshot contains. */
    private readonly uptoSeq: number,
  ) {
    this.state = state;
  }

  /**
   * Makes `doc` hold the snapshot, finishing a build in progress; true the first time (the caller
   * then starts listening to it), false after that.
   */
  complete(doc: Y.Doc): boolean {
    if (this.applied) return false;
    this.applied = true;
    const build = this.build;
    this.build = null;
    if (build instanceof SlicedBuild) build.finish();
    // The history of an exact snapshot makes the same document; if it did not, the snapshot fills in what is missing.
    if (!(build instanceof SlicedBuild) || !this.isHeldBy(doc)) Y.applyUpdate(doc, this.bytes);
    this.state = null;
    this.frame = null;
    return true;
  }

  /**
   * Starts building `doc` from the stored history up to the snapshot (causal-order updates, one
   * per second of typing), a slice per turn; `ended` runs once it holds it all, or with why the
   * history could not be read (also when reading it took over HISTORY_WAIT_MS). Only once the meta decoded (the result is checked against it); with
   * a history far larger than the snapshot, the snapshot is applied on the next turn instead.
   */
  prebuild(doc: Y.Doc, history: () => Promise<LogEntry[]>, ended: (err: unknown) => void): void {
    if (this.applied || this.build || !this.decoded) return;
    this.build = 'reading';
    // Writers' edits wait for the build (WriteGate): a database slow to answer must not hold them.
    const slow = setTimeout(() => {
      if (this.build !== 'reading') return;
      this.build = null;
      ended(new Error(`the stored history took over ${HISTORY_WAIT_MS} ms to read`));
    }, HISTORY_WAIT_MS);
    history().finally(() => clearTimeout(slow)).then(
      (entries) => {
        if (this.build !== 'reading') return;
        const parts = entries.filter((e) => e.seq <= this.uptoSeq).map((e) => e.data);
        const bytes = parts.reduce((n, p) => n + p.byteLength, 0);
        this.build = bytes <= HISTORY_BUILD_LIMIT * this.bytes.byteLength ? new SlicedBuild(doc, parts, () => ended(undefined)) : null;
        if (!this.build) setImmediate(() => ended(undefined));
      },
      (err: unknown) => {
        if (this.build !== 'reading') return;
        this.build = null;
        ended(err);
      },
    );
  }

  /** The snapshot's bytes; asked for only until the Y.Doc holds them (after, `meta` is null and nothing is served from them). */
  private get bytes(): Uint8Array {
    if (!this.state) throw new Error('the stored snapshot was let go once the note was built from it');
    return this.state;
  }

  /** Whether a build is in progress (its history being read, or applied in slices). */
  get building(): boolean {
    return this.build !== null && !this.applied;
  }

  /** Abandons a build in progress (the note is unloading). */
  stop(): void {
    if (this.build instanceof SlicedBuild) this.build.stop();
    this.build = null;
  }

  /** Whether `doc` holds exactly what the snapshot's meta describes. */
  private isHeldBy(doc: Y.Doc): boolean {
    const meta = this.decoded;
    if (!meta || doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return false;
    const clocks = Y.decodeStateVector(Y.encodeStateVector(doc));
    if (clocks.size !== meta.clocks.size || [...meta.clocks].some(([client, clock]) => clocks.get(client) !== clock)) return false;
    return Y.equalDeleteSets(Y.createDeleteSetFromStructStore(doc.store), meta.deleteSet);
  }

  /**
   * The snapshot's meta while the Y.Doc is not built. It is derived data: if it does not decode
   * (`onUnreadable` is told why), the note is served the slower way, from the Y.Doc. `onDecoded`
   * runs once, when it first decodes.
   */
  meta(onDecoded: (meta: SnapshotMeta) => void, onUnreadable: (err: unknown) => void): SnapshotMeta | null {
    if (this.applied || !this.metaBytes) return null;
    if (this.decoded === undefined) {
      try {
        this.decoded = decodeSnapshotMeta(this.metaBytes);
        onDecoded(this.decoded);
      } catch (err) {
        this.decoded = null;
        onUnreadable(err);
      }
    }
    return this.decoded;
  }

  /** The stored bytes as a note to answer sync step 1 from, given their decoded `meta`. */
  forSync(meta: SnapshotMeta): NoteForSync {
    return {
      clocks: meta.clocks,
      whole: () => [(this.frame ??= wire.encodeSyncStep2Of(this.bytes))],
      diff: (stateVector) => wire.encodeSyncStep2Of(Y.diffUpdate(this.bytes, stateVector)),
    };
  }
}
