import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../shared/protocol/closeCodes';
import type { HeldBytes, HeldLimits } from '../ops/heldBytes';

/**
 * The bounds on unfinished websocket messages for a process whose largest message is
 * `maxMessageBytes`: an account's sockets together may hold two of the largest messages ws reads
 * (twice the limit, to tell their size), the process 256 MiB or eight accounts' worth.
 */
export function unfinishedLimits(maxMessageBytes: number): HeldLimits {
  const perKey = 4 * maxMessageBytes;
  return { perKey, inAll: Math.max(256 * 1024 * 1024, 8 * perKey) };
}

/**
 * Counts what `ws`, an account's websocket on `socket` (its raw connection), holds of a message not
 * yet finished. `ws` keeps a message's frames in memory until its last one arrives, and a peer that
 * answers pings between frames is never dropped: a member held 19 MiB on each of 96 sockets over
 * sessions of his own, 2 GB of the process, for as long as he liked (attack, 6 Dec). Counted from
 * the socket's bytes (the server takes no compression, so they are what `ws` keeps), reset at each
 * whole message. Dropped, the socket is closed with `Busy` (transient: a page that was sending a
 * real change reconnects and sends it again) and destroyed, which frees what `ws` kept.
 */
export function watchUnfinished(held: HeldBytes, accountId: string, ws: WebSocket, socket: Duplex): void {
  const holder = held.holder(`account:${accountId}`, () => {
    ws.close(CloseCode.Busy, 'too much of your messages is still on its way; send it again after reconnecting');
    // The close frame goes out first, within a second however slowly the peer reads.
    const gone = setTimeout(() => socket.destroy(), 1000);
    gone.unref();
    socket.end(() => {
      clearTimeout(gone);
      socket.destroy();
    });
  });
  // Before ws's own listener: a chunk that ends a message is counted, then the message resets it.
  socket.prependListener('data', (chunk: Buffer) => holder.add(chunk.byteLength));
  ws.on('message', () => holder.reset());
  ws.once('close', () => holder.remove());
}
