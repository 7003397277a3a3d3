/**
 * Keeps this device from offering the server a message it will refuse. A change whose update is
 * larger than the server's limit (a huge paste) is taken out of the note here and handed to
 * `onSetAside` to be kept on the device; later edits are then saved as usual. Sent as it is, the
 * server would close the connection, the provider would offer it again on every reconnect (and
 * the IndexedDB copy at every opening), and nothing typed after it could ever be stored: a
 * client's edits build on each other, and the server cannot apply what follows a missing one.
 * The editor refuses a change it can tell is too large before it enters the note
 * (client/editor/tooLargeEdits.ts), which keeps the words it would have replaced; this is the
 * check of every change, whatever made it, and only takes out what a change inserted.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DEFAULT_MAX_MESSAGE_BYTES, updateMessageBytes } from '../../shared/protocol/messageSize';
import { MessageType } from '../../shared/protocol/messageType';
import { CHUNK_BYTES, updateFrames, updateOfFrame } from '../../shared/protocol/updateParts';
import { deleteInserted, insertedText } from './insertedRange';

/** A change kept out of the note because it was too large to send (`at`: epoch ms). */
export interface SetAsideChange {
  at: number;
  /** The text it inserted, to read or copy back. */
  text: string;
  /** The message that would have carried it, and the server's limit, in bytes. */
  size: number;
  limit: number;
}

export interface OutgoingLimitHooks {
  /** A local change was too large: it is already out of the note; keep it. */
  onSetAside(change: SetAsideChange): void;
  /**
   * A message over the limit that cannot be sent in pieces under it: one change in it is over the
   * limit on its own (made before the server's lower limit was known). It is not sent.
   */
  onUnsendable(size: number, limit: number): void;
}

export interface OutgoingLimit {
  /** The server's limit, from its hello. */
  setLimit(bytes: number): void;
  /** The limit in force, in bytes per message. */
  limit(): number;
  /** `base` whose `send` refuses messages over the limit: give it to the provider. */
  guardSocket(base: typeof WebSocket): typeof WebSocket;
  stop(): void;
}

/** The transaction origin of taking a change out (not something to check again). */
const SET_ASIDE = Symbol('set aside: too large to send');

const byteLength = (data: unknown): number | null =>
  data instanceof ArrayBuffer ? data.byteLength : ArrayBuffer.isView(data) ? data.byteLength : null;

/** The bytes of a binary frame (the provider sends Uint8Arrays). */
const asBytes = (data: ArrayBufferLike | ArrayBufferView): Uint8Array =>
  ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);

/**
 * Starts checking `doc`'s local changes. Call before the provider is created, so this sees each
 * change before the provider sends it.
 */
export function limitOutgoing(doc: Y.Doc, hooks: OutgoingLimitHooks, limit = DEFAULT_MAX_MESSAGE_BYTES): OutgoingLimit {
  let max = limit;
  /**
   * The state before the first change found too large whose removal has not run yet: until it
   * has, local updates are not sent on their own but with the removal (they may build on it).
   */
  let removing: Uint8Array | null = null;
  let removals = 0;
  let socket: WebSocket | null = null;

  const check = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void => {
    if (origin === SET_ASIDE) return;
    const size = updateMessageBytes(update.byteLength);
    if (!tr.local || size <= max) return;
    const client = doc.clientID;
    const from = tr.beforeState.get(client) ?? 0;
    const to = tr.afterState.get(client) ?? 0;
    // Nothing inserted, nothing to take out (deletions alone are never this large): unsendable.
    if (from >= to) return;
    hooks.onSetAside({ at: Date.now(), text: insertedText(doc, client, from, to), size, limit: max });
    removing ??= Y.encodeStateVector(tr.beforeState);
    removals++;
    // Not in this update event: the editor binding (y-prosemirror) that made the change is still
    // inside its own mutex here and skips what the note does meanwhile, so the words stayed on
    // screen and every keystroke after them wrote them again, and was set aside with them
    // (browser test, 5 Dec).
    queueMicrotask(() => {
      doc.transact((removal) => deleteInserted(removal, client, from, to), SET_ASIDE);
      if (--removals === 0) sendRemoval();
    });
  };

  /**
   * The server never got the change, and the removal only deletes it: send it as it stands now,
   * placeholders without content, with every local change made meanwhile, so the server can apply
   * the removal and everything after. Offline, the next connection's sync sends the same.
   */
  const sendRemoval = (): void => {
    const since = removing;
    removing = null;
    if (!since || !socket || socket.readyState !== socket.OPEN) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.Sync);
    syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(doc, since));
    socket.send(encoding.toUint8Array(e));
  };

  doc.on('update', check);
  return {
    setLimit: (bytes) => {
      max = bytes;
    },
    limit: () => max,
    guardSocket: (base) =>
      class extends base {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          socket = this;
        }

        override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
          const size = byteLength(data);
          const binary = size !== null && typeof data !== 'string' && !(data instanceof Blob);
          const update = binary && (removing || size > Math.min(max, CHUNK_BYTES)) ? updateOfFrame(asBytes(data)) : null;
          // The change set aside, and any made before its removal: the removal carries them.
          if (removing && update) return;
          if (size !== null && size > max) {
            // Changes that add up past the limit (pastes made offline, sent at the reconnect) go in
            // pieces under it; sent whole, they ended the note's connection (walk, 5 Dec). Only a
            // piece that is one change over the limit (made before the limit was known) cannot.
            const pieces = update ? updateFrames(update, Math.min(CHUNK_BYTES, Math.floor(max / 2))) : [];
            if (pieces.length > 1 && pieces.every((piece) => piece.byteLength <= max)) return pieces.forEach((piece) => super.send(piece));
            hooks.onUnsendable(size, max);
            return;
          }
          // A large change (a long paste) goes in pieces, so the server takes it in between
          // other notes' keystrokes instead of holding them up for the whole.
          if (!update || (size ?? 0) <= CHUNK_BYTES) return super.send(data);
          for (const frame of updateFrames(update)) super.send(frame);
        }
      },
    stop: () => doc.off('update', check),
  };
}
