import * as Y from 'yjs';

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

/** What one keystroke did: an insert at the end of the paragraph, or a backspace of the character with `id`. */
export type KeyEffect = { kind: 'insert' } | { kind: 'delete'; id: Y.ID };

/** One keystroke at the end of `text`: a character, or (share `deleteShare`) a backspace. */
export function typeKey(text: Y.XmlText, random: () => number, deleteShare: number): KeyEffect {
  const len = text.length;
  if (len > 0 && random() < deleteShare) {
    const id = Y.createRelativePositionFromTypeIndex(text, len - 1).item;
    text.delete(len - 1, 1);
    if (id) return { kind: 'delete', id };
    return { kind: 'insert' };
  }
  text.insert(len, ALPHABET[Math.floor(random() * ALPHABET.length)] ?? ' ');
  return { kind: 'insert' };
}

/** The caret at the end of `text`, as the collaboration-caret extension puts it in presence. */
export function caretAtEnd(text: Y.XmlText): { anchor: unknown; head: unknown } {
  const pos = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, text.length)) as unknown;
  return { anchor: pos, head: pos };
}

/**
 * Paces one writer: calls `key` at the model's Poisson times, and `presence` after a key at most
 * `awarenessHz` times a second (now, or once at the end of the interval). What a key and a
 * presence update do is the caller's (a Y.Doc edit, or a pre-encoded frame).
 */
export class Typist {
  private timer: NodeJS.Timeout | null = null;
  private awarenessTimer: NodeJS.Timeout | null = null;
  private burstLeft = 0;
  private lastAwarenessAt = -Infinity;
  private readonly eventGapMs: number;
  keys = 0;

  constructor(
    private readonly model: TypingModel,
    private readonly random: () => number,
    private readonly key: () => void,
    private readonly presence: (() => void) | null,
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
    this.keys++;
    this.schedulePresence();
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

  private schedulePresence(): void {
    if (!this.presence || this.awarenessTimer) return;
    const interval = 1000 / this.model.awarenessHz;
    const wait = this.lastAwarenessAt + interval - performance.now();
    if (wait <= 0) this.sendPresence();
    else
      this.awarenessTimer = setTimeout(() => {
        this.awarenessTimer = null;
        this.sendPresence();
      }, wait);
  }

  private sendPresence(): void {
    this.lastAwarenessAt = performance.now();
    this.presence?.();
  }
}
