import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType, type ServerNotice } from '../../shared/protocol/messageType';
import { writeStoredState, type DeleteTally } from '../../shared/protocol/storedState';

/** A client frame, decoded and checked for shape before anything acts on it. */
export type ClientMessage =
  | { kind: 'sync-step1'; stateVector: Uint8Array }
  | { kind: 'sync-update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' };

/** Thrown for frames that are malformed, truncated or of an unknown type. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/**
 * Decodes one frame. Every length-prefixed payload is read with bounds checks (lib0 throws on a
 * truncated buffer), and trailing bytes are refused, so garbage never reaches Yjs half-parsed.
 */
export function decodeClientMessage(frame: Uint8Array): ClientMessage {
  try {
    const decoder = decoding.createDecoder(frame);
    const type = decoding.readVarUint(decoder);
    let message: ClientMessage;
    switch (type) {
      case MessageType.Sync: {
        const sub = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (sub === syncProtocol.messageYjsSyncStep1) message = { kind: 'sync-step1', stateVector: payload };
        else if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) message = { kind: 'sync-update', update: payload };
        else throw new WireError(`unknown sync message type ${sub}`);
        break;
      }
      case MessageType.Awareness:
        message = { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
        break;
      case MessageType.QueryAwareness:
        message = { kind: 'query-awareness' };
        break;
      default:
        throw new WireError(`unknown message type ${type}`);
    }
    if (decoding.hasContent(decoder)) throw new WireError('trailing bytes after message');
    return message;
  } catch (err) {
    if (err instanceof WireError) throw err;
    throw new WireError('malformed or truncated message');
  }
}

/**
 * Clients a sync step 1 may name beyond those the note has: a page knows the note's clients and
 * its own ids, some of them not sent yet (pages of the device opened offline).
 */
export const EXTRA_STATE_VECTOR_CLIENTS = 1_000;

/** How many clients an encoded state vector names: its first number, read without decoding the rest. */
export function clientsNamed(sv: Uint8Array): number {
  try {
    return decoding.readVarUint(decoding.createDecoder(sv));
  } catch {
    throw new WireError('malformed state vector');
  }
}

/**
 * Validates a state vector payload (a sync step 1 from a client) naming at most `maxClients`
 * clients, counted before anything is decoded: one of 1.5 million made-up clients (9 MB) took
 * 1.6-2.1 s of the event loop to answer, from a read-only supervisor too (attack, 2 Dec).
 */
export function checkStateVector(sv: Uint8Array, maxClients: number): Map<number, number> {
  const named = clientsNamed(sv);
  if (named > maxClients) throw new WireError(`state vector names ${named} clients; the note has fewer than ${maxClients}`);
  try {
    return Y.decodeStateVector(sv);
  } catch {
    throw new WireError('malformed state vector');
  }
}

const frame = (write: (e: encoding.Encoder) => void): Uint8Array => {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
};

/**
 * A frame ending in a length-prefixed payload, copied once into a buffer of the exact size: a
 * note's whole state is hundreds of KB, which lib0's growing encoder would copy twice.
 */
const withPayload = (head: number[], payload: Uint8Array): Uint8Array => {
  const e = encoding.createEncoder();
  for (const n of head) encoding.writeVarUint(e, n);
  encoding.writeVarUint(e, payload.byteLength);
  const prefix = encoding.toUint8Array(e);
  const out = new Uint8Array(prefix.byteLength + payload.byteLength);
  out.set(prefix);
  out.set(payload, prefix.byteLength);
  return out;
};

export const encodeSyncStep1 = (stateVector: Uint8Array): Uint8Array =>
  withPayload([MessageType.Sync, syncProtocol.messageYjsSyncStep1], stateVector);

/** Sync step 2 carrying an update that is already encoded (a stored snapshot, or a diff of one). */
export const encodeSyncStep2Of = (update: Uint8Array): Uint8Array => withPayload([MessageType.Sync, syncProtocol.messageYjsSyncStep2], update);

export const encodeSyncStep2 = (doc: Y.Doc, stateVector: Uint8Array): Uint8Array =>
  encodeSyncStep2Of(Y.encodeStateAsUpdate(doc, stateVector));

export const encodeUpdate = (update: Uint8Array): Uint8Array => withPayload([MessageType.Sync, syncProtocol.messageYjsUpdate], update);

export const encodeAwareness = (update: Uint8Array): Uint8Array => withPayload([MessageType.Awareness], update);

export const encodeSaved = (stored: { stateVector: Uint8Array; deletions: DeleteTally }): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Saved);
    writeStoredState(e, stored.stateVector, stored.deletions);
  });

export const encodeNotice = (notice: ServerNotice): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.Notice);
    encoding.writeVarString(e, JSON.stringify(notice));
  });
