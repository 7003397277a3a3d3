import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/protocol/closeCodes';
import type { Logger } from '../log';

/**
 * The bounds for a process whose largest message is `maxMessageBytes`: an account may hold two of
 * the largest messages ws reads (twice the limit, to tell their size), the process 256 MiB or eight
 * accounts' worth.
 */
export function unfinishedLimits(maxMessageBytes: number): UnfinishedLimits {
  const perAccount = 4 * maxMessageBytes;
  return { perAccount, inAll: Math.max(256 * 1024 * 1024, 8 * perAccount) };
}

/** Bounds, in bytes, on websocket messages begun and not yet finished (see UnfinishedMessages). */
export interface UnfinishedLimits {
  /** All sockets of one account together. */
  perAccount: number;
  /** Every socket of the process together. */
  inAll: number;
}

interface Watched {
  accountId: string;
  ws: WebSocket;
  socket: Duplex;
  /** Bytes read from the socket since its last whole message. */
  bytes: number;
}

/**
 * Bytes of websocket messages begun and not finished, per account and in all, with a bound on
 * each. `ws` keeps a message's frames in memory until its last one arrives (up to its maxPayload,
 * twice TANDEM_MAX_MESSAGE_BYTES), and a peer that answers pings between frames is never dropped:
 * a member held 19 MiB on each of 96 sockets over sessions of his own, 2 GB of the process, for as
 * long as he liked (attack, 6 Dec). Counted from the socket's bytes (the server takes no
 * compression, so they are what `ws` keeps), reset at each whole message. Past a bound the socket
 * holding the most is closed with `Busy` (transient: a page that was sending a real change
 * reconnects and sends it again) and its socket destroyed, which frees what `ws` kept.
 */
export class UnfinishedMessages {
  private readonly sockets = new Set<Watched>();
  private readonly byAccount = new Map<string, number>();
  private total = 0;

  constructor(
    private readonly limits: UnfinishedLimits,
    private readonly log: Logger,
    /** A socket was closed for holding too much (for the operator's metrics). */
    private readonly onClosed: () => void = () => {},
  ) {}

  /** Bytes held in unfinished messages on the process now. */
  get bytes(): number {
    return this.total;
  }

  /** Counts `ws`'s messages on `socket`, its raw connection, for `accountId` until it closes. */
  watch(accountId: string, ws: WebSocket, socket: Duplex): void {
    const w: Watched = { accountId, ws, socket, bytes: 0 };
    this.sockets.add(w);
    // Before ws's own listener: a chunk that ends a message is counted, then the message resets it.
    socket.prependListener('data', (chunk: Buffer) => this.add(w, chunk.byteLength));
    ws.on('message', () => this.add(w, -w.bytes));
    ws.once('close', () => {
      this.add(w, -w.bytes);
      this.sockets.delete(w);
    });
  }

  private add(w: Watched, bytes: number): void {
    if (!this.sockets.has(w) || bytes === 0) return;
    w.bytes += bytes;
    this.total += bytes;
    const mine = (this.byAccount.get(w.accountId) ?? 0) + bytes;
    if (mine === 0) this.byAccount.delete(w.accountId);
    else this.byAccount.set(w.accountId, mine);
    if (bytes < 0) return;
    if (mine > this.limits.perAccount) this.drop(this.largest(w.accountId), 'account');
    else if (this.total > this.limits.inAll) this.drop(this.largest(null), 'process');
  }

  /** The socket of `accountId` (of anyone: null) holding the most. */
  private largest(accountId: string | null): Watched {
    let most: Watched | null = null;
    for (const w of this.sockets) if ((accountId === null || w.accountId === accountId) && (most === null || w.bytes > most.bytes)) most = w;
    return most!;
  }

  private drop(w: Watched, bound: 'account' | 'process'): void {
    const limit = bound === 'account' ? this.limits.perAccount : this.limits.inAll;
    const what = bound === 'account' ? 'of one account' : 'on the process';
    this.log.warn(`unfinished websocket messages ${what} over their bound; its largest connection closed`, { accountId: w.accountId, bytes: w.bytes, n_limit: limit, code: CloseCode.Busy });
    this.onClosed();
    this.add(w, -w.bytes);
    this.sockets.delete(w);
    w.ws.close(CloseCode.Busy, 'too much of your messages is still on its way; send it again after reconnecting');
    // The close frame goes out first; what ws kept of the message goes with the socket, within a
    // second however slowly the peer reads.
    const gone = setTimeout(() => w.socket.destroy(), 1000);
    gone.unref();
    w.socket.end(() => {
      clearTimeout(gone);
      w.socket.destroy();
    });
  }
}
