/**
 * Our two server → client frames beside y-websocket's own (see shared/protocol/messageType.ts),
 * and what the server's sync step 1 says it holds. They are plugged into the provider's handler
 * table, in this one place, so they arrive in order with sync frames.
 */
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { readStoredState, type StoredState } from '../../shared/protocol/storedState';
import { MessageType, serverNoticeSchema, type ServerNotice } from '../../shared/protocol/messageType';

/** Parses a Notice payload; null for anything we do not understand (a newer server, say). */
export function parseNotice(json: string): ServerNotice | null {
  try {
    const result = serverNoticeSchema.safeParse(JSON.parse(json));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

export interface ServerMessageHandlers {
  /** What the server has durably stored (state vector and deletion tally). */
  onSaved(stored: StoredState): void;
  onNotice(notice: ServerNotice): void;
  /** The state vector of the server's sync step 1, read before y-websocket answers it. */
  onServerState?(stateVector: Map<number, number>): void;
  /**
   * While true, the server's sync messages are dropped unread: items under a client id this
   * device wrote under, which the server holds for another person, would be spliced into this
   * device's own words (shared/protocol/deviceClients.ts).
   */
  dropSync?(): boolean;
}

/** Registers the Saved and Notice handlers on a provider, and a look at the server's sync step 1. */
export function installServerMessageHandlers(provider: WebsocketProvider, handlers: ServerMessageHandlers): void {
  if (handlers.onServerState) followServerState(provider, handlers.onServerState);
  const { dropSync } = handlers;
  if (dropSync) {
    const sync = provider.messageHandlers[MessageType.Sync]!;
    provider.messageHandlers[MessageType.Sync] = (...args) => {
      if (!dropSync()) sync(...args);
    };
  }
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    handlers.onSaved(readStoredState(decoder));
  };
  provider.messageHandlers[MessageType.Notice] = (_encoder, decoder) => {
    const notice = parseNotice(decoding.readVarString(decoder));
    if (notice) handlers.onNotice(notice);
  };
}

/** Calls `onServerState` with the state vector of each sync step 1 the server sends, before y-websocket answers it. */
export function followServerState(provider: WebsocketProvider, onServerState: (stateVector: Map<number, number>) => void): void {
  const sync = provider.messageHandlers[MessageType.Sync]!;
  provider.messageHandlers[MessageType.Sync] = (encoder, decoder, ...rest) => {
    const peek = decoding.clone(decoder);
    if (decoding.readVarUint(peek) === messageYjsSyncStep1) onServerState(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
    sync(encoder, decoder, ...rest);
  };
}
