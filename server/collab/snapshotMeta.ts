import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { isCovered, tallyDeleteSet, type DeleteSet, type DeleteTally } from '../../shared/protocol/storedState';
import type { KnownState } from './updateFacts';

/**
 * A stored snapshot's state vector and delete set, written beside it at compaction. With them a
 * note is served from its stored bytes: a writer is asked for what it holds and told what is
 * saved, and a sync step 2 that adds nothing is recognised, without rebuilding the Y.Doc (for a
 * long note, 100 ms of a core on a freshly started process). The Y.Doc is built when an edit
 * arrives.
 */
export interface SnapshotMeta {
  stateVector: Uint8Array;
  clocks: Map<number, number>;
  deleteSet: DeleteSet;
  deletions: DeleteTally;
}

export function encodeSnapshotMeta(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  const stateVector = Y.encodeStateVector(doc);
  encoding.writeVarUint8Array(e, stateVector);
  // Everything after the document's own state vector: no structs, only the delete set.
  encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, stateVector));
  return encoding.toUint8Array(e);
}

/** Throws on bytes that are not a snapshot meta. */
export function decodeSnapshotMeta(bytes: Uint8Array): SnapshotMeta {
  const d = decoding.createDecoder(bytes);
  const stateVector = decoding.readVarUint8Array(d);
  const { ds } = Y.decodeUpdate(decoding.readVarUint8Array(d));
  return { stateVector, clocks: Y.decodeStateVector(stateVector), deleteSet: ds, deletions: tallyDeleteSet(ds) };
}

/** The note as the meta describes it; `doc` builds the Y.Doc for the rare look-up of an item. */
export const knownFromMeta = (meta: SnapshotMeta, doc: () => Y.Doc): KnownState => ({
  clock: (client) => meta.clocks.get(client) ?? 0,
  isDeleted: (client, from, to) => isCovered(meta.deleteSet.clients.get(client) ?? [], from, to),
  doc,
});
