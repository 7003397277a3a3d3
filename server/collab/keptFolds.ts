import type * as Y from 'yjs';

/**
 * How many notes' documents a compaction thread keeps. Only a note typed in while it is compacted
 * gains from being kept (a short note folds fast from its snapshot anyway); the automerge-paper
 * trace's whole note (105k characters) is 3.5 MB of heap as a Y.Doc.
 */
const KEPT_NOTES = 8;

interface Kept {
  /** The snapshot the document was encoded to: it is kept only while that is still the stored one. */
  state: Uint8Array;
  doc: Y.Doc;
}

/**
 * The documents the last compactions of a few notes ended with. Rebuilding a long note's document
 * from its snapshot at every compaction made compaction quadratic in the note's length (the
 * automerge-paper trace: 15–40 ms of a core per compaction near its end, ~520 compactions); a kept
 * one applies only the new tail (encoding the new snapshot still reads the whole note: the whole
 * trace folded 500 entries at a time took 3.5 s of a core this way, 8.1 s from the snapshots). It
 * is used only when the stored snapshot is byte for byte the one it was encoded to: another process
 * may have compacted the note since (PostgreSQL), or this process's write may have failed. Lives in
 * the compaction thread, so it goes when the thread ends when idle.
 */
export class KeptFolds {
  /** In order of use, the least recent first. */
  private readonly notes = new Map<string, Kept>();

  constructor(private readonly capacity = KEPT_NOTES) {}

  /** Hands over the document of `docId` if it is exactly `snapshot`; it is no longer kept either way. */
  take(docId: string, snapshot: Uint8Array | null): Y.Doc | null {
    const kept = this.notes.get(docId);
    if (!kept) return null;
    this.notes.delete(docId);
    if (snapshot && Buffer.compare(kept.state, snapshot) === 0) return kept.doc;
    kept.doc.destroy();
    return null;
  }

  /** Keeps `doc`, whose state is `state` (the snapshot just folded), for the note's next compaction. */
  keep(docId: string, state: Uint8Array, doc: Y.Doc): void {
    this.notes.get(docId)?.doc.destroy();
    this.notes.delete(docId);
    this.notes.set(docId, { state, doc });
    for (const [id, old] of this.notes) {
      if (this.notes.size <= this.capacity) break;
      old.doc.destroy();
      this.notes.delete(id);
    }
  }
}
