/**
 * Sends a refused change again, on its own connection, when its reason may have passed. The server
 * judges every change as it arrives and does not keep a refused one; the device does, and offered it
 * again only at its next connection. Meanwhile everything typed after it was refused too, as
 * `missing_parts` (it builds on the refused change). A member label or a tag put back, or a judge no
 * longer busy, left the therapist's words refused until a reload or a dropped network (walk, 5 Dec).
 */
import * as encoding from 'lib0/encoding';
import { writeUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { backoffDelay, type Backoff } from '../../shared/backoff';
import { MessageType, PASSING_REFUSALS, type RefusalCode } from '../../shared/protocol/messageType';

/** The first retry comes after about this long; then each waits twice as long, up to a minute. */
const RETRY: Backoff = { firstMs: 4_000, maxMs: 60_000 };

export interface RefusalRetry {
  /** The server refused a change on this connection, for `code` (the first refusal's reason). */
  refused(code: RefusalCode): void;
  /** The refusal no longer stands (what it held back is stored, or the person dropped it). */
  settled(): void;
  stop(): void;
}

/**
 * @param serverHolds how far the server holds each Yjs client's edits, as far as the page has
 *   heard (stored, or had at the sync): what is sent is everything of the device's past that.
 * @param mayWrite whether this connection may write (a read-only page's refusal is final).
 */
export function retryRefused(provider: WebsocketProvider, doc: Y.Doc, serverHolds: () => Map<number, number>, mayWrite: () => boolean): RefusalRetry {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let attempt = 0;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const send = () => {
    timer = null;
    // Not connected: the next connection's sync offers everything the server lacks anyway.
    if (!provider.wsconnected || !provider.synced || !provider.ws || !mayWrite()) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.Sync);
    writeUpdate(encoder, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(serverHolds())));
    provider.ws.send(encoding.toUint8Array(encoder));
  };
  return {
    refused(code) {
      // Each keystroke after the refusal is refused again: one retry waits at a time.
      if (timer || !PASSING_REFUSALS.includes(code)) return;
      timer = setTimeout(send, backoffDelay(attempt++, RETRY));
    },
    settled() {
      clear();
      attempt = 0;
    },
    stop: clear,
  };
}
