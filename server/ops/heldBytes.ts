import type { Logger } from '../log';

/** Bounds, in bytes, on what a ledger's holders keep (see HeldBytes). */
export interface HeldLimits {
  /** All holders of one key together (one account, say). */
  perKey: number;
  /** Every holder together. */
  inAll: number;
}

/** One peer's bytes in a HeldBytes ledger. */
export interface Holder {
  /** Counts `bytes` more held (negative: let go). */
  add(bytes: number): void;
  /** Nothing held any more (a whole message arrived, a body was read). */
  reset(): void;
  /** The peer is gone; its bytes are let go. */
  remove(): void;
}

interface Entry {
  key: string;
  bytes: number;
  drop: () => void;
}

/**
 * Bytes that peers make the process keep before it can act on them (a websocket message whose end
 * has not come, a request body being read), per key and in all, each with a bound. Past a bound
 * the holder with the most, of that key or of everyone, is dropped (`drop`, which must free what
 * it keeps) and counted: the peer holding memory hostage goes, whoever crossed the line.
 */
export class HeldBytes {
  private readonly entries = new Set<Entry>();
  private readonly byKey = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly what: string,
    private readonly limits: HeldLimits,
    private readonly log: Logger,
    /** A holder was dropped (for the operator's metrics). */
    private readonly onDropped: () => void = () => {},
  ) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.total;
  }

  /** A new peer of `key` (an account, an address), holding nothing yet; `drop` ends it if it passes a bound. */
  holder(key: string, drop: () => void): Holder {
    const e: Entry = { key, bytes: 0, drop };
    this.entries.add(e);
    return {
      add: (bytes) => this.add(e, bytes),
      reset: () => this.add(e, -e.bytes),
      remove: () => {
        this.add(e, -e.bytes);
        this.entries.delete(e);
      },
    };
  }

  private add(e: Entry, bytes: number): void {
    if (!this.entries.has(e) || bytes === 0) return;
    e.bytes += bytes;
    this.total += bytes;
    const mine = (this.byKey.get(e.key) ?? 0) + bytes;
    if (mine === 0) this.byKey.delete(e.key);
    else this.byKey.set(e.key, mine);
    if (bytes < 0) return;
    if (mine > this.limits.perKey) this.dropLargest(e.key, this.limits.perKey);
    else if (this.total > this.limits.inAll) this.dropLargest(null, this.limits.inAll);
  }

  /** Drops the holder of `key` (of anyone: null) holding the most. */
  private dropLargest(key: string | null, limit: number): void {
    let most: Entry | null = null;
    for (const e of this.entries) if ((key === null || e.key === key) && (most === null || e.bytes > most.bytes)) most = e;
    if (!most) return;
    this.log.warn(`${this.what} over ${key === null ? 'the process’s' : 'one peer’s'} bound; the largest dropped`, { bytes: most.bytes, n_limit: limit });
    this.onDropped();
    this.add(most, -most.bytes);
    this.entries.delete(most);
    most.drop();
  }
}
