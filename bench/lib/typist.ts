import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { WriterLog } from './delivery';

/**
 * Human-rate typing: keystrokes arrive as a Poisson process of "events", each a
 * single key or a burst of fast keys, calibrated so the mean is `keysPerSecond`. One Yjs
 * transaction per key; some keys are backspaces.
 */
export interface TypingModel {
  keysPerSecond: number;
  /** Share of events that are bursts. @default 0.15 */
  burstShare: number;
  /** Keys per burst, uniform in [min, max]. */
  burstKeys: [number, number];
  /** Mean gap between keys inside a burst, ms. */
  burstGapMs: number;
  /** Share of keys that delete the previous character. */
  deleteShare: number;
  /** Presence (cursor) updates at most this often. */
  awarenessHz: number;
}

export const DEFAULT_TYPING: TypingModel = {
  keysPerSecond: 5,
  burstShare: 0.15,
  burstKeys: [4, 12],
  burstGapMs: 50,
  deleteShare: 0.1,
  awarenessHz: 10,
};

const ALPHABET = 'etaoinshrdlucmfwypvbgkjqxz     ,.';

export class Typist {
  private timer: NodeJS.Timeout | null = null;
  private awarenessTimer: NodeJS.Timeout | null = null;
  private burstLeft = 0;
  private lastAwarenessAt = -Infinity;
  private readonly eventGapMs: number;
  keys = 0;

  constructor(
    private readonly text: Y.XmlText,
    private readonly log: WriterLog,
    private readonly awareness: Awareness | null,
    private readonly model: TypingModel,
    private readonly random: () => number,
  ) {
    const meanBurst = (model.burstKeys[0] + model.burstKeys[1]) / 2;
    const keysPerEvent = 1 + model.burstShare * (meanBurst - 1);
    // keys/s = keysPerEvent / (eventGap + burstShare·(meanBurst−1)·burstGap)
    this.eventGapMs = Math.max(1, (keysPerEvent / model.keysPerSecond) * 1000 - model.burstShare * (meanBurst - 1) * model.burstGapMs);
  }

  start(): void {
    // Desynchronise writers: the first key comes after a random part of one gap.
    this.timer = setTimeout(() => this.tick(), this.random() * this.eventGapMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.awarenessTimer) clearTimeout(this.awarenessTimer);
    this.timer = null;
    this.awarenessTimer = null;
  }

  private tick(): void {
    this.key();
    this.timer = setTimeout(() => this.tick(), this.nextGap());
  }

  private nextGap(): number {
    const exp = (mean: number): number => -Math.log(1 - this.random()) * mean;
    if (this.burstLeft > 0) {
      this.burstLeft--;
      return exp(this.model.burstGapMs);
    }
    if (this.random() < this.model.burstShare) {
      const [lo, hi] = this.model.burstKeys;
      this.burstLeft = lo + Math.floor(this.random() * (hi - lo + 1)) - 1;
    }
    return exp(this.eventGapMs);
  }

  /** One keystroke: a character at the end of this writer's paragraph, or a backspace. */
  key(): void {
    const len = this.text.length;
    const t0 = performance.now();
    if (len > 0 && this.random() < this.model.deleteShare) {
      const id = Y.createRelativePositionFromTypeIndex(this.text, len - 1).item;
      this.text.delete(len - 1, 1);
      if (id) this.log.deleted(id, t0);
    } else {
      this.text.insert(len, ALPHABET[Math.floor(this.random() * ALPHABET.length)] ?? ' ');
      this.log.inserted(t0);
    }
    this.keys++;
    this.presence();
  }

  /** Cursor presence, throttled to awarenessHz: sent now, or once at the end of the interval. */
  private presence(): void {
    if (!this.awareness || this.awarenessTimer) return;
    const interval = 1000 / this.model.awarenessHz;
    const wait = this.lastAwarenessAt + interval - performance.now();
    if (wait <= 0) this.sendCursor();
    else
      this.awarenessTimer = setTimeout(() => {
        this.awarenessTimer = null;
        this.sendCursor();
      }, wait);
  }

  private sendCursor(): void {
    if (!this.awareness) return;
    this.lastAwarenessAt = performance.now();
    const pos = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.text, this.text.length)) as unknown;
    this.awareness.setLocalStateField('cursor', { anchor: pos, head: pos });
  }
}
