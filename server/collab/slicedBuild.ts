import * as Y from 'yjs';

/**
 * How long one turn of the event loop may spend applying stored updates, ms. One update is never
 * split, so a turn can run longer by one update (compaction writes at most a second of typing in
 * one: under 20 ms to apply even for the fastest typist of the automerge-paper trace).
 */
const SLICE_MS = 4;

/**
 * Applies stored updates to a Y.Doc in order, a few milliseconds' worth per turn of the event loop,
 * so a long note is built without holding up the keystrokes of other notes. `finish` applies what
 * is left at once (an edit needs the document now); `stop` abandons the rest.
 */
export class SlicedBuild {
  private next = 0;
  private turn: NodeJS.Immediate | null = null;

  constructor(
    private readonly doc: Y.Doc,
    private readonly parts: Uint8Array[],
    /** Called once every part is applied, on the turn that applied the last (not after `finish`). */
    private readonly onDone: () => void,
  ) {
    this.turn = setImmediate(() => this.step());
  }

  finish(): void {
    this.stop();
    this.applyUntil(Infinity);
  }

  stop(): void {
    if (this.turn) clearImmediate(this.turn);
    this.turn = null;
  }

  private step(): void {
    this.turn = null;
    this.applyUntil(performance.now() + SLICE_MS);
    if (this.next < this.parts.length) this.turn = setImmediate(() => this.step());
    else this.onDone();
  }

  private applyUntil(deadline: number): void {
    while (this.next < this.parts.length) {
      Y.applyUpdate(this.doc, this.parts[this.next++]!);
      if (performance.now() >= deadline) return;
    }
  }
}
