import type { Turnable, TurnShare } from './turnShare';

/**
 * A connection's incoming frames, handled in order, in the turns a TurnShare gives it: in line
 * while the loop has time, otherwise one at a time between other connections' frames. While
 * `highWater` frames wait, the socket is not read (TCP then slows the sender); it is read again
 * once half of them were handled.
 */
export class Inbox<T> implements Turnable {
  private queue: T[] = [];
  private paused = false;

  constructor(
    private readonly handle: (item: T) => void,
    private readonly flow: { pause(): void; resume(): void },
    private readonly share: TurnShare,
    private readonly highWater = 32,
  ) {}

  push(item: T): void {
    if (this.queue.length === 0 && this.share.mayRunNow()) {
      this.share.runNow(() => this.handle(item));
      return;
    }
    this.queue.push(item);
    this.share.wait(this);
    if (this.queue.length >= this.highWater && !this.paused) {
      this.paused = true;
      this.flow.pause();
    }
  }

  handleOne(): boolean {
    const item = this.queue.shift();
    if (this.paused && this.queue.length <= this.highWater / 2) {
      this.paused = false;
      this.flow.resume();
    }
    if (item !== undefined) this.handle(item);
    return this.queue.length > 0;
  }

  /** Drops what waits (the connection closed: its frames are not handled after that). */
  clear(): void {
    this.queue = [];
    this.share.forget(this);
  }
}
