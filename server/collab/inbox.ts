import type { Turnable, TurnShare } from './turnShare';

/**
 * A connection's incoming frames, handled in order, in the turns a TurnShare gives it: in line
 * while the loop has time, otherwise one at a time between other connections' frames. While
 * `highWater` frames or bytes wait, the socket is not read (TCP then slows the sender); it is read
 * again once half of them were handled.
 */
export class Inbox<T> implements Turnable {
  private queue: T[] = [];
  private bytes = 0;
  private paused = false;

  constructor(
    private readonly handle: (item: T) => void,
    private readonly flow: { pause(): void; resume(): void },
    private readonly share: TurnShare,
    /** Bytes an item takes while it waits. */
    private readonly sizeOf: (item: T) => number,
    /**
     * Past either, the socket is not read. Frames may be up to the message limit (10 MiB), so a
     * count alone let 32 frames of 9 MB wait per connection (an attacker's 30 connections: 6 GB).
     */
    private readonly highWater = { frames: 32, bytes: 1024 * 1024 },
  ) {}

  push(item: T): void {
    if (this.queue.length === 0 && this.share.mayRunNow()) {
      this.share.runNow(() => this.handle(item));
      return;
    }
    this.queue.push(item);
    this.bytes += this.sizeOf(item);
    this.share.wait(this);
    if (!this.paused && (this.queue.length >= this.highWater.frames || this.bytes >= this.highWater.bytes)) {
      this.paused = true;
      this.flow.pause();
    }
  }

  handleOne(): boolean {
    const item = this.queue.shift();
    if (item !== undefined) this.bytes -= this.sizeOf(item);
    if (this.paused && this.queue.length <= this.highWater.frames / 2 && this.bytes <= this.highWater.bytes / 2) {
      this.paused = false;
      this.flow.resume();
    }
    if (item !== undefined) this.handle(item);
    return this.queue.length > 0;
  }

  /** Drops what waits (the connection closed: its frames are not handled after that). */
  clear(): void {
    this.queue = [];
    this.bytes = 0;
    this.share.forget(this);
  }
}
