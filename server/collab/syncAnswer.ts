import * as Y from 'yjs';
import type { Connection } from './Connection';
import * as wire from './wire';

/** Sync answers a connection may have computed for its own state vector (see SyncAnswers). */
export const MAX_COMPUTED_SYNC_ANSWERS = 4;

/**
 * Past either bound, the updates kept after the encoded state are folded into a new encoding at the
 * next ask: the state is encoded again once per quarter of its size (or 1,024 updates) of change,
 * however often anyone asks. Re-encoding at every change let a therapist who alternated a keystroke
 * and an ask have an 8 MB note encoded each time: 250–480 ms of the loop per round, without end
 * (attack, 4 Dec).
 */
const MAX_TAIL_UPDATES = 1024;
const MIN_TAIL_BYTES = 256 * 1024;

/**
 * The whole note as Yjs updates that, applied in order, make it: one encoded state, and the
 * updates the Y.Doc emitted since. Starts listening at the first ask, once the Y.Doc is built (an
 * `update` listener has Yjs encode every transaction; the stored history is no news).
 *
 * The state is kept once, framed as sync step 2 (as new pages get it); the judge's copy is a view
 * of the frame's payload. Kept twice, the encoding was a tenth of what an open note cost the heap
 * (24 of 280 KB for a note of 10,000 characters; `npm run bench -- --workloads memory`, 6 Dec).
 */
export class WholeNote {
  private encoded: { frame: Uint8Array; base: Uint8Array } | null = null;
  private tail: Uint8Array[] = [];
  private tailBytes = 0;
  private listening = false;

  constructor(private readonly doc: Y.Doc) {}

  /**
   * `[state, ...updates since]`; the first is the same object until the state is encoded again.
   * Asked only once the Y.Doc holds the whole note (SharedDoc.doc builds it).
   */
  parts(): Uint8Array[] {
    return [this.state().base, ...this.tail];
  }

  /** The same as frames to send in order: each update since as a sync update, then the state as sync step 2. */
  frames(): Uint8Array[] {
    const { frame } = this.state();
    return [...this.tail.map(wire.encodeUpdate), frame];
  }

  private state(): { frame: Uint8Array; base: Uint8Array } {
    if (!this.listening) {
      this.listening = true;
      this.doc.on('update', (update: Uint8Array) => this.changed(update));
    }
    if (!this.encoded) {
      const base = Y.encodeStateAsUpdate(this.doc);
      const frame = wire.encodeSyncStep2Of(base);
      this.encoded = { frame, base: frame.subarray(frame.byteLength - base.byteLength) };
    }
    return this.encoded;
  }

  private changed(update: Uint8Array): void {
    if (this.encoded === null) return;
    this.tail.push(update);
    this.tailBytes += update.byteLength;
    if (this.tail.length > MAX_TAIL_UPDATES || this.tailBytes > Math.max(MIN_TAIL_BYTES, this.encoded.base.byteLength / 4)) {
      this.encoded = null;
      this.tail = [];
      this.tailBytes = 0;
    }
  }
}

/** A note as sync step 1 is answered from: the Y.Doc, or the stored snapshot it is served from. */
export interface NoteForSync {
  /** How far the note holds each Yjs client's structs (its state vector, decoded). */
  clocks: Map<number, number>;
  /** Frames carrying the whole note, to send in order (see SyncAnswers.ofDoc); cheap to ask again. */
  whole(): Uint8Array[];
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
 * the note (every new page) gets the whole note from WholeNote: the updates since its state was
 * encoded, then that state as sync step 2 (a Yjs client keeps the updates until the state they
 * build on arrives, and is synced with everything); and a connection may have only
 * MAX_COMPUTED_SYNC_ANSWERS answers computed for its own state vector: y-websocket asks once,
 * when its socket opens.
 */
export class SyncAnswers {
  private readonly computed = new WeakMap<Connection, number>();

  /** `wholeNote`: of the Y.Doc that `ofDoc` is given. */
  constructor(private readonly wholeNote: WholeNote) {}

  /** `doc`, the Y.Doc given at construction with everything stored applied, as a note to answer from. */
  ofDoc(doc: Y.Doc): NoteForSync {
    return {
      clocks: Y.decodeStateVector(Y.encodeStateVector(doc)),
      whole: () => this.wholeNote.frames(),
      diff: (stateVector) => wire.encodeSyncStep2(doc, stateVector),
    };
  }

  /**
   * The frames that answer `conn`, which holds `held` (its `stateVector` decoded), in order.
   * Throws WireError when the connection has had MAX_COMPUTED_SYNC_ANSWERS computed answers already.
   */
  answer(conn: Connection, held: Map<number, number>, stateVector: Uint8Array, note: NoteForSync): Uint8Array[] {
    if (lacksMost(held, note.clocks)) return note.whole();
    const computed = (this.computed.get(conn) ?? 0) + 1;
    if (computed > MAX_COMPUTED_SYNC_ANSWERS) throw new wire.WireError(`sync step 1 sent ${computed} times on one connection (a client asks for the note when its socket opens)`);
    this.computed.set(conn, computed);
    return [note.diff(stateVector)];
  }
}
