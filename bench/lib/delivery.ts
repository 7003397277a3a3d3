import * as Y from 'yjs';
import { Samples } from './stats';

/**
 * Content-neutral end-to-end latency at the frame level: writers and receivers live in this
 * process and share performance.now(). An insert is delivered when an update a receiver gets
 * carries the writer's clock up to the value it had after the edit; a delete when the update's
 * delete set holds the character's ID. No beacon content, and no Y.Doc at the receiver: the
 * update's struct ranges and delete set are read without applying it (a server relays each
 * client's updates in order, so ranges arrive contiguous).
 */
interface InsertEntry {
  target: number;
  t0: number;
  inWindow: boolean;
}

interface DeleteEntry {
  id: Y.ID;
  t0: number;
  inWindow: boolean;
}

interface Cursor {
  ins: number;
  del: number;
}

/** The edits of one writer, and how far each receiver (and the durable ack) has caught up. */
export class WriterLog {
  readonly inserts: InsertEntry[] = [];
  readonly deletes: DeleteEntry[] = [];
  readonly cursors: Cursor[] = [];
  ackCursor = 0;

  constructor(
    readonly clientId: number,
    private readonly tracker: DeliveryTracker,
  ) {}

  /** Call right after sending an insert that started at `t0` and took this writer's clock to `target`. */
  inserted(target: number, t0: number): void {
    this.inserts.push({ target, t0, inWindow: this.tracker.windowOpen });
    this.tracker.noteSent();
  }

  /** Call with the ID of the character deleted by an edit that started at `t0`. */
  deleted(id: Y.ID, t0: number): void {
    this.deletes.push({ id, t0, inWindow: this.tracker.windowOpen });
    this.tracker.noteSent();
  }

  /** Edits some receiver has not seen yet. */
  undelivered(): number {
    let n = 0;
    for (const c of this.cursors) n += this.inserts.length - c.ins + (this.deletes.length - c.del);
    return n;
  }

  unacked(): number {
    return this.inserts.length - this.ackCursor;
  }

  /** Drops entries every receiver (and the ack) has passed, so long runs stay small. */
  trim(trackAcks: boolean): void {
    const minIns = Math.min(...this.cursors.map((c) => c.ins), trackAcks ? this.ackCursor : Infinity);
    const minDel = Math.min(...this.cursors.map((c) => c.del));
    if (minIns > 4096) {
      this.inserts.splice(0, minIns);
      for (const c of this.cursors) c.ins -= minIns;
      if (trackAcks) this.ackCursor -= minIns;
    }
    if (minDel > 4096) {
      this.deletes.splice(0, minDel);
      for (const c of this.cursors) c.del -= minDel;
    }
  }
}

/** A receiver's view of one update: how far it takes each client, and what it deletes. */
export type UpdateReceiver = (update: Uint8Array, now: number) => void;

export class DeliveryTracker {
  windowOpen = false;
  readonly latency = new Samples();
  readonly ackLatency = new Samples();
  /** Deliveries between clients of the same server process, and across two (scale-out). */
  readonly sameProcessLatency = new Samples();
  readonly crossProcessLatency = new Samples();
  sentInWindow = 0;
  deliveredInWindow = 0;
  private readonly logs: WriterLog[] = [];
  private records = 0;

  constructor(private readonly trackAcks: boolean) {}

  writer(clientId: number): WriterLog {
    const log = new WriterLog(clientId, this);
    this.logs.push(log);
    return log;
  }

  noteSent(): void {
    if (this.windowOpen) this.sentInWindow++;
  }

  /**
   * A receiver of the edits of `writers` (the other members of its session): feed it every update
   * it gets. `crossProcess[i]`: writer i is connected to another server process than the receiver.
   */
  receiver(writers: WriterLog[], crossProcess: boolean[] = []): UpdateReceiver {
    const watched = writers.map((w, i) => {
      const cursor: Cursor = { ins: w.inserts.length, del: w.deletes.length };
      w.cursors.push(cursor);
      return { w, cursor, hop: crossProcess[i] ? this.crossProcessLatency : this.sameProcessLatency };
    });
    return (update, now) => {
      const { to } = Y.parseUpdateMeta(update);
      let deleteSet: ReturnType<typeof Y.createDeleteSet> | null = null;
      for (const { w, cursor, hop } of watched) {
        const state = to.get(w.clientId) ?? 0;
        while (cursor.ins < w.inserts.length && (w.inserts[cursor.ins] as InsertEntry).target <= state) {
          this.record(w.inserts[cursor.ins++] as InsertEntry, now, hop);
        }
        if (cursor.del >= w.deletes.length) continue;
        // Only a backspace waiting to be seen makes the delete set worth decoding.
        deleteSet ??= Y.decodeUpdate(update).ds;
        if (!deleteSet.clients.has(w.clientId)) continue;
        while (cursor.del < w.deletes.length && Y.isDeleted(deleteSet, (w.deletes[cursor.del] as DeleteEntry).id)) {
          this.record(w.deletes[cursor.del++] as DeleteEntry, now, hop);
        }
      }
      if (++this.records % 2048 === 0) for (const w of this.logs) w.trim(this.trackAcks);
    };
  }

  /** Tandem's Saved frame reached writer `log`: its inserts up to the state vector are durable. */
  acked(log: WriterLog, stateVector: Map<number, number>): void {
    const state = stateVector.get(log.clientId) ?? 0;
    const now = performance.now();
    while (log.ackCursor < log.inserts.length && (log.inserts[log.ackCursor] as InsertEntry).target <= state) {
      const e = log.inserts[log.ackCursor++] as InsertEntry;
      if (e.inWindow) this.ackLatency.add(now - e.t0);
    }
  }

  undelivered(): number {
    return this.logs.reduce((n, w) => n + w.undelivered(), 0);
  }

  unacked(): number {
    return this.logs.reduce((n, w) => n + w.unacked(), 0);
  }

  private record(e: InsertEntry | DeleteEntry, now: number, hop: Samples): void {
    if (!e.inWindow) return;
    this.deliveredInWindow++;
    this.latency.add(now - e.t0);
    hop.add(now - e.t0);
  }
}
