/**
 * Our two server → client frames beside y-websocket's own (see shared/protocol/messageType.ts).
 * They are plugged into the provider's handler table so they arrive in order with sync frames.
 */
import * as decoding from 'lib0/decoding';
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
}

/** Registers the Saved and Notice handlers on a provider. */
export function installServerMessageHandlers(provider: WebsocketProvider, handlers: ServerMessageHandlers): void {
  provider.messageHandlers[MessageType.Saved] = (_encoder, decoder) => {
    handlers.onSaved(readStoredState(decoder));
  };
  provider.messageHandlers[MessageType.Notice] = (_encoder, decoder) => {
    const notice = parseNotice(decoding.readVarString(decoder));
    if (notice) handlers.onNotice(notice);
  };
}
