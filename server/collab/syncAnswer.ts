import * as Y from 'yjs';
import type { Connection } from './Connection';
import * as wire from './wire';

/** Sync answers a connection may have computed for its own state vector (see SyncAnswers). */
export const MAX_COMPUTED_SYNC_ANSWERS = 4;

/** A note as sync step 1 is answered from: the Y.Doc, or the stored snapshot it is served from. */
export interface NoteForSync {
  /** How far the note holds each Yjs client's structs (its state vector, decoded). */
  clocks: Map<number, number>;
  /** Sync step 2 carrying the whole note; its owner encodes it once per version of the note. */
  whole(): Uint8Array;
  /** Sync step 2 carrying what a client with `stateVector` lacks. */
  diff(stateVector: Uint8Array): Uint8Array;
}

/** Whether a client holding `held` lacks at least half of the structs of a note holding `note`. */
function lacksMost(held: Map<number, number>, note: Map<number, number>): boolean {
  let total = 0;
  let has = 0;
  for (const [client, clock] of note) {
    total += clock;
    has += Math.min(clock, held.get(client) ?? 0);
  }
  return has * 2 <= total;
}

/**
 * Answers a client's sync step 1. Encoding a long note costs the event loop 100 ms or more
 * (8.7 MB: 115–485 ms with ten sockets asking, attack, 3 Dec). So a client that lacks most of
 * the note (every new page) gets the whole note, encoded once per version of it (a Yjs client
 * skips what it already holds), and a connection may have only MAX_COMPUTED_SYNC_ANSWERS answers
 * computed for its own state vector: y-websocket asks once, when its socket opens.
 */
export class SyncAnswers {
  /** Sync step 2 of the whole Y.Doc, while the Y.Doc has not changed since it was encoded. */
  private whole: Uint8Array | null = null;
  private readonly computed = new WeakMap<Connection, number>();

  constructor(doc: Y.Doc) {
    // afterTransaction, not update: Yjs encodes each transaction's update only for 'update' listeners.
    doc.on('afterTransaction', () => {
      this.whole = null;
    });
  }

  /** `doc`, the Y.Doc given at construction with everything stored applied, as a note to answer from. */
  ofDoc(doc: Y.Doc): NoteForSync {
    return {
      clocks: Y.decodeStateVector(Y.encodeStateVector(doc)),
      whole: () => (this.whole ??= wire.encodeSyncStep2(doc, new Uint8Array([0]))),
      diff: (stateVector) => wire.encodeSyncStep2(doc, stateVector),
    };
  }

  /**
   * Sync step 2 for `conn`, which holds `held` (its `stateVector` decoded). Throws WireError when
   * the connection has had MAX_COMPUTED_SYNC_ANSWERS computed answers already.
   */
  answer(conn: Connection, held: Map<number, number>, stateVector: Uint8Array, note: NoteForSync): Uint8Array {
    if (lacksMost(held, note.clocks)) return note.whole();
    const computed = (this.computed.get(conn) ?? 0) + 1;
    if (computed > MAX_COMPUTED_SYNC_ANSWERS) throw new wire.WireError(`sync step 1 sent ${computed} times on one connection (a client asks for the note when its socket opens)`);
    this.computed.set(conn, computed);
    return note.diff(stateVector);
  }
}
