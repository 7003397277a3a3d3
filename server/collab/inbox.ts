/**
 * A connection's incoming frames, handled in order, at most `sliceMs` of them per turn of the event
 * loop. libuv reads up to 32 chunks from one socket before it looks at the next, so a long paste
 * sent in pieces would otherwise be taken in whole before any other socket is read, and every
 * other note's keystrokes would wait for it. Past the slice the rest waits for `setImmediate`,
 * which runs after the next poll for I/O; while many frames wait, the socket is not read.
 */
export class Inbox<T> {
  private queue: T[] = [];
  private scheduled = false;
  private paused = false;

  constructor(
    private readonly handle: (item: T) => void,
    private readonly flow: { pause(): void; resume(): void },
    private readonly sliceMs = 8,
    private readonly highWater = 32,
  ) {}

  push(item: T): void {
    this.queue.push(item);
    if (!this.scheduled) this.drain();
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    const until = performance.now() + this.sliceMs;
    while (this.queue.length > 0) {
      if (performance.now() >= until) {
        this.scheduled = true;
        setImmediate(this.drain);
        if (this.queue.length >= this.highWater && !this.paused) {
          this.paused = true;
          this.flow.pause();
        }
        return;
      }
      this.handle(this.queue.shift()!);
    }
    if (this.paused) {
      this.paused = false;
      this.flow.resume();
    }
  };
}
