import * as Y from 'yjs';
import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Logger } from '../log';
import type { BigUpdateJudgement, JudgeBigUpdate } from './bigUpdate';
import { isBigUpdate, JudgeBusyError } from './bigUpdate';
import type { Connection } from './Connection';
import type { UpdateFacts } from './updateFacts';
import { closeForFailure } from './messageFailure';
import type { WholeNote } from './syncAnswer';
import { WireError } from './wire';

/**
 * What may wait behind a big update, per connection and per note. Past either bound the sending
 * connection is closed with `Busy` (transient) instead of queued: frames handed to the lane leave
 * the socket's inbox at once, so without a bound one member could make the server hold any amount
 * (thirty 9 MB frames held 1 GB). An honest client has a few small edits waiting at most.
 */
const MAX_WAITING_PER_CONNECTION = { updates: 256, bytes: 16 * 1024 * 1024 };
const MAX_WAITING_BYTES_PER_NOTE = 48 * 1024 * 1024;

/**
 * Judgements against a copy that the note outran (changes relayed from another process while the
 * thread judged). Past this, other processes' changes to the note wait until the update has been
 * judged, so the next judgement stands: a co-therapist's steady typing elsewhere cannot keep a
 * paste out for good. It used to be judged in line instead, against the note as it was: a 3 MB
 * paste held the loop 2.5 s, every note of the process with it (operator fault test, 3 Dec).
 */
const MAX_JUDGEMENTS_OFF_LOOP = 3;
/**
 * Judgements outrun even then (by the server's own writes): the sender is told to send it again
 * after reconnecting rather than hold the loop.
 */
const MAX_JUDGEMENTS = MAX_JUDGEMENTS_OFF_LOOP + 2;

/** An update judged off the event loop: its facts, and how to take it in once it passes. */
export interface Judged {
  facts: UpdateFacts;
  apply(facts: UpdateFacts): void;
}

/** The note as the lane reads it: its id for logs, and its Y.Doc to copy and to watch for changes. */
export interface LaneNote {
  readonly sessionId: string;
  readonly doc: Y.Doc;
  /** The whole note as updates (encoded again only as it grows: an 8 MB note was encoded for every big update, attack, 4 Dec). */
  readonly wholeNote: Pick<WholeNote, 'parts'>;
  /** Holds the updates other processes relay to the note until the returned function is called. */
  holdFanout(): () => void;
}

/** The gate as the lane drives it. */
export interface LaneGate {
  /** Judges and applies (or holds, or refuses) an update; with `judged`, without inspecting it again. Throws WireError. */
  settle(conn: Connection, update: Uint8Array, judged?: Judged): void;
  /** Applies an update (or a piece of one) every guard agreed to, with the after-apply steps. */
  applyAccepted(conn: Connection, update: Uint8Array, facts: UpdateFacts): void;
  /** Judges held updates again after the note changed. */
  release(): void;
}

/**
 * One note's big updates, taken in without holding other notes up. An update big by its bytes or
 * its structs (`isBigUpdate`) is judged whole, off the event loop, against a copy of the note's state; if every guard
 * agrees it is applied in pieces, one per turn of the loop. A refused update changes nothing;
 * what is stored and confirmed ("Saved") follows each piece as for any update.
 *
 * Meanwhile this note's other updates wait here, in the order they came, so that the update is
 * applied to the state it was judged against and each client's updates keep their order. If the
 * note changed anyway (fan-out from another process, the server's own writes), it is judged again.
 * Other notes are not affected: each note has its own lane.
 */
export class BigUpdateLane {
  private running = false;
  private waiting: { conn: Connection; update: Uint8Array }[] = [];

  constructor(
    private readonly note: LaneNote,
    private readonly gate: LaneGate,
    private readonly judge: JudgeBigUpdate,
    private readonly log: Logger,
    private readonly onServerError?: () => void,
  ) {}

  /** Takes the update in, or queues it behind a big one in progress; false: the gate judges it now. */
  takes(conn: Connection, update: Uint8Array): boolean {
    if (this.running) {
      if (this.overBound(conn, update.byteLength)) {
        this.log.warn('too many changes waiting behind a big update; connection closed', { sessionId: this.note.sessionId, connectionId: conn.id, code: CloseCode.Busy });
        conn.close(CloseCode.Busy, 'too many changes waiting; send them again after reconnecting');
        return true;
      }
      this.waiting.push({ conn, update });
      return true;
    }
    if (!isBigUpdate(update)) return false;
    this.running = true;
    void this.take(conn, update)
      .catch((err: unknown) => this.log.error('a big update could not be taken in', { sessionId: this.note.sessionId, connectionId: conn.id, err }))
      .finally(() => {
        this.running = false;
        this.drain();
      });
    return true;
  }

  /** Whether queueing `bytes` more from `conn` would pass what may wait (see the bounds above). */
  private overBound(conn: Connection, bytes: number): boolean {
    let noteBytes = bytes;
    let mine = { updates: 1, bytes };
    for (const w of this.waiting) {
      noteBytes += w.update.byteLength;
      if (w.conn === conn) mine = { updates: mine.updates + 1, bytes: mine.bytes + w.update.byteLength };
    }
    return mine.updates > MAX_WAITING_PER_CONNECTION.updates || mine.bytes > MAX_WAITING_PER_CONNECTION.bytes || noteBytes > MAX_WAITING_BYTES_PER_NOTE;
  }

  private async take(conn: Connection, update: Uint8Array): Promise<void> {
    let release: (() => void) | undefined;
    const releaseOthers = () => {
      release?.();
      release = undefined;
    };
    try {
      const judgement = await this.judgeStanding(conn, update, () => {
        this.log.warn('the note kept changing while a big update was judged off the event loop; other processes\' changes to it wait for the next judgement', { sessionId: this.note.sessionId, connectionId: conn.id, n_tries: MAX_JUDGEMENTS_OFF_LOOP });
        release = this.note.holdFanout();
      });
      // Its socket's other frames are not handled either once it has closed; the client sends it again.
      if (!judgement || !conn.isOpen) return;
      if ('malformed' in judgement) {
        closeForFailure(conn, new WireError('malformed document update'), this.log, this.note.sessionId);
        return;
      }
      const accepted = { yes: false };
      this.settleNow(conn, update, {
        facts: judgement.facts,
        apply: () => {
          accepted.yes = true;
        },
      });
      // Judged and settled against the note as it is: what other processes sent meanwhile goes in now.
      releaseOthers();
      if (accepted.yes) await this.applyInPieces(conn, judgement.pieces, judgement.facts);
    } finally {
      releaseOthers();
    }
  }

  /**
   * Judges the update off the event loop until a judgement was not outrun by changes to the note
   * (`holdOthers` is called once tries have been outrun MAX_JUDGEMENTS_OFF_LOOP times). Null when
   * it was not judged (the connection was closed, or it was settled in line because the thread failed).
   */
  private async judgeStanding(conn: Connection, update: Uint8Array, holdOthers: () => void): Promise<BigUpdateJudgement | null> {
    for (let tries = 0; ; tries++) {
      if (tries === MAX_JUDGEMENTS_OFF_LOOP) holdOthers();
      if (tries === MAX_JUDGEMENTS) {
        this.log.warn('a big update was outrun by changes to its note every time it was judged; connection closed', { sessionId: this.note.sessionId, connectionId: conn.id, code: CloseCode.Busy });
        conn.close(CloseCode.Busy, 'the note kept changing while your change was checked; send it again after reconnecting');
        return null;
      }
      const doc = this.note.doc;
      let changed = false;
      const onChange = () => {
        changed = true;
      };
      doc.on('update', onChange);
      try {
        const judgement = await this.judge({ state: this.note.wholeNote.parts(), update });
        if (!changed) return judgement;
      } catch (err) {
        if (err instanceof JudgeBusyError) {
          this.log.warn('too many large changes being checked; connection closed', { sessionId: this.note.sessionId, connectionId: conn.id, code: CloseCode.Busy });
          conn.close(CloseCode.Busy, 'the server is checking other large changes; send it again after reconnecting');
          return null;
        }
        // The thread died or could not start: judged in line, as before there was one.
        this.log.error('judging a big update off the event loop failed; judging it in line', { sessionId: this.note.sessionId, err });
        if (conn.isOpen) this.settleNow(conn, update);
        return null;
      } finally {
        doc.off('update', onChange);
      }
    }
  }

  /**
   * Applies the judged update's pieces in order, one per turn of the loop. The after-apply steps
   * (late-entry labels, flags, receipt stamps) see the whole update's facts once, with its last piece.
   */
  private async applyInPieces(conn: Connection, pieces: Uint8Array[], facts: UpdateFacts): Promise<void> {
    const quiet: UpdateFacts = { ...facts, inserted: [], mapWrites: [], mapDeletes: [], attributeWrites: [], observationMarks: [], deletedText: [], formatted: [], deletedLooks: [], moved: [], extents: [] };
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      // Accepted whole, so applied whole even if its sender left meanwhile; but not into a note
      // that was unloaded (what is stored stays; the sender's client sends the rest again).
      if (this.note.doc.isDestroyed) return;
      try {
        this.gate.applyAccepted(conn, pieces[i]!, i === pieces.length - 1 ? facts : quiet);
      } catch (err) {
        closeForFailure(conn, err, this.log, this.note.sessionId, this.onServerError);
        return;
      }
    }
    this.gate.release();
  }

  /** The updates that waited, in order, until one of them is big again. */
  private drain(): void {
    while (!this.running && this.waiting.length > 0) {
      const { conn, update } = this.waiting.shift()!;
      if (!conn.isOpen) continue;
      if (!this.takes(conn, update)) this.settleNow(conn, update);
    }
  }

  /** Settles an update off the frame's own turn (after a judgement, from the queue): a failure closes its connection only. */
  private settleNow(conn: Connection, update: Uint8Array, judged?: Judged): void {
    try {
      this.gate.settle(conn, update, judged);
    } catch (err) {
      closeForFailure(conn, err, this.log, this.note.sessionId, this.onServerError);
    }
  }
}
