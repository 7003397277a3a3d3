import * as Y from 'yjs';
import { decodeSnapshotMeta, type SnapshotMeta } from './snapshotMeta';
import * as wire from './wire';

/** A state vector that lists no client: its holder has nothing yet. */
const isEmptyStateVector = (sv: Uint8Array): boolean => sv.length === 1 && sv[0] === 0;

/**
 * The cold-open stage: a compacted note served from its stored bytes. To readers it is served
 * from the snapshot, to writers also from its meta (state vector and delete set, decoded when a
 * writer comes). The Y.Doc, as much work as the rest of opening the note, is built when an edit
 * or fan-out message needs it (`take`). Until the note changes, a client that holds nothing yet
 * (every cold open) gets the stored bytes as they are, framed once.
 */
export class StoredSnapshot {
  private applied = false;
  private frame: Uint8Array | null = null;
  /** The decoded meta; null when it did not decode (or there is none), undefined before trying. */
  private decoded: SnapshotMeta | null | undefined;

  constructor(
    private readonly state: Uint8Array,
    private readonly metaBytes: Uint8Array | null,
  ) {}

  /** The bytes to build the Y.Doc from, the first time it is needed; null after that. */
  take(): Uint8Array | null {
    if (this.applied) return null;
    this.applied = true;
    return this.state;
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

  /** What a client lacks, given its state vector, from the stored bytes; null when they cannot tell. */
  syncStep2For(stateVector: Uint8Array): Uint8Array | null {
    if (isEmptyStateVector(stateVector)) return (this.frame ??= wire.encodeSyncStep2Of(this.state));
    if (!this.applied) return wire.encodeSyncStep2Of(Y.diffUpdate(this.state, stateVector));
    return null;
  }
}
