/**
 * Words typed on this device while it was offline, into a line the co-therapist removed meanwhile:
 * deleted, or written again as a quote, a heading, a list item (the editor writes such a change as
 * the line deleted and a copy of it). Yjs deletes whatever stands inside a deleted line, also what
 * arrives there later, so when this device reconnected its words in that line vanished, seen by
 * nobody: her copy cannot hold words she never received, and this page showed them gone. Here they
 * are written again as this person's, in a line of their own after the removed one (near her copy),
 * and the page says so (a known limit until 2 Dec, see docs/security.md).
 *
 * Which words, and when: this device's characters the server did not hold when the connection
 * opened (its sync step 1, sent as the connection opens, says what it holds in memory, stored or
 * not), deleted by changes the server sends before its answer to this device's own sync step 1.
 * The server reads the frames of one connection in order, and this device sends its sync step 1
 * before the offline words (its answer to the server's step 1), so everything up to that answer
 * was written without them. After it, another device may have received them (the server relays
 * before it stores) and deleted them on purpose: that stands. (Ended at the first Saved covering
 * them instead, the watch took a deletion made after the relay for an unseen one: attack, 2 Dec.)
 * Words typed while connected are the caret's business (caretOnRemoteEdits.ts).
 */
import type { WebsocketProvider } from 'y-websocket';
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';
import { MessageType } from '../../shared/protocol/messageType';

/** While a connection's first sync goes on: the clocks of the offline words. */
interface Watch {
  from: number;
  to: number;
}

export interface OfflineWords {
  /** A connection opened: the characters this device holds now and the server lacks are offline words. */
  connected(): void;
  /** The server's state vector in its sync step 1: which of this device's characters it lacks. */
  serverHas(stateVector: Map<number, number>): void;
  /** The server answered this device's sync step 1: from now on a deletion may be deliberate. */
  synced(): void;
  /** The connection closed: the next one starts again. */
  disconnected(): void;
  /** Whether the character `id` names is one of the offline words still watched. */
  isOffline(id: Y.ID): boolean;
  stop(): void;
}

/** Runs of kept words in one line are joined by this (other words stood between them). */
export const RUN_SEPARATOR = ' … ';

/**
 * Watches `doc` (its note in the XML fragment `field`) for offline words a change from the server
 * (`fromServer` says which transactions are) deletes; writes them again (see the module comment)
 * and reports each new line's text to `onKept`.
 */
export function keepOfflineWords(doc: Y.Doc, field: string, fromServer: (tr: Y.Transaction) => boolean, onKept: (lines: string[]) => void): OfflineWords {
  let opening: number | null = null;
  let watch: Watch | null = null;
  /** Characters already written again: a later change's run does not read on across them. */
  const written = new WeakSet<Y.Item>();

  const onTransaction = (tr: Y.Transaction) => {
    if (!watch || !fromServer(tr)) return;
    const ranges = tr.deleteSet.clients.get(doc.clientID);
    if (!ranges) return;
    const pieces = offlinePieces(doc, ranges, watch);
    if (pieces.size === 0) return;
    const root = doc.getXmlFragment(field);
    const blocks = new Set<Y.Item>();
    for (const item of pieces.keys()) {
      const block = topBlock(item, root);
      if (block) blocks.add(block);
    }
    const lines: { after: Y.XmlElement; text: string }[] = [];
    for (const block of blocks) {
      const text = keptText(block, pieces, tr.deleteSet, written);
      if (text && block.content instanceof Y.ContentType && block.content.type instanceof Y.XmlElement) lines.push({ after: block.content.type, text });
    }
    for (const item of pieces.keys()) written.add(item);
    if (lines.length === 0) return;
    // A transaction of this device's own, sent like typing (Yjs runs it after this one's observers).
    doc.transact(() => {
      for (const { after, text } of lines) {
        const line = new Y.XmlElement('paragraph');
        line.insert(0, [new Y.XmlText(text)]);
        root.insertAfter(after, [line]);
      }
    });
    onKept(lines.map((l) => l.text));
  };
  doc.on('afterTransaction', onTransaction);

  return {
    connected() {
      opening = Y.getState(doc.store, doc.clientID);
      watch = null;
    },
    serverHas(stateVector) {
      if (opening === null) return;
      const held = stateVector.get(doc.clientID) ?? 0;
      watch = held < opening ? { from: held, to: opening } : null;
      opening = null;
    },
    synced() {
      opening = null;
      watch = null;
    },
    disconnected() {
      opening = null;
      watch = null;
    },
    isOffline(id) {
      return watch !== null && id.client === doc.clientID && id.clock >= watch.from && id.clock < watch.to;
    },
    stop() {
      doc.off('afterTransaction', onTransaction);
    },
  };
}

/**
 * Tells `words` what `provider` goes through: a connection opening, the server's sync step 1
 * (read before y-websocket answers it), the first sync done, the connection closing.
 */
export function followProvider(provider: WebsocketProvider, words: OfflineWords): void {
  provider.on('status', ({ status }: { status: string }) => (status === 'connected' ? words.connected() : words.disconnected()));
  provider.on('sync', (synced: boolean) => synced && words.synced());
  const sync = provider.messageHandlers[MessageType.Sync]!;
  provider.messageHandlers[MessageType.Sync] = (encoder, decoder, ...rest) => {
    const peek = decoding.clone(decoder);
    if (decoding.readVarUint(peek) === messageYjsSyncStep1) words.serverHas(Y.decodeStateVector(decoding.readVarUint8Array(peek)));
    sync(encoder, decoder, ...rest);
  };
}

/** The deleted offline characters of this transaction: for each text item, its deleted offline clock ranges. */
function offlinePieces(doc: Y.Doc, ranges: { clock: number; len: number }[], watch: Watch): Map<Y.Item, [number, number][]> {
  const pieces = new Map<Y.Item, [number, number][]>();
  for (const range of ranges) {
    const start = Math.max(range.clock, watch.from);
    const end = Math.min(range.clock + range.len, watch.to);
    for (let clock = start; clock < end; ) {
      const struct = Y.getItem(doc.store, Y.createID(doc.clientID, clock)) as Y.Item | Y.GC;
      const next = struct.id.clock + struct.length;
      if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
        const list = pieces.get(struct) ?? [];
        list.push([clock - struct.id.clock, Math.min(end, next) - struct.id.clock]);
        pieces.set(struct, list);
      }
      clock = next;
    }
  }
  return pieces;
}

/** The block at the top of the note that holds `item` (null when it is not in the note). */
function topBlock(item: Y.Item, root: Y.XmlFragment): Y.Item | null {
  let at: Y.Item | null = item;
  while (at && at.parent !== root) at = (at.parent as Y.AbstractType<unknown>)._item;
  return at;
}

/**
 * The kept characters in `block`, in the note's order, runs joined by RUN_SEPARATOR where other
 * words stood between them: words standing until this change, or kept by an earlier one (words
 * deleted before, by this person, do not count).
 */
function keptText(block: Y.Item, pieces: Map<Y.Item, [number, number][]>, deleted: DeleteSet, written: WeakSet<Y.Item>): string {
  const runs: string[] = [];
  let run = '';
  // A run's spaces at its ends stood between it and the words around it.
  const end = () => {
    if (run.trim()) runs.push(run.trim());
    run = '';
  };
  const walk = (item: Y.Item | null) => {
    for (; item; item = item.right) {
      if (item.content instanceof Y.ContentType) {
        end();
        walk(item.content.type._start);
        end();
        continue;
      }
      if (!(item.content instanceof Y.ContentString)) continue;
      const kept = pieces.get(item);
      if (!kept) {
        if (!item.deleted || Y.isDeleted(deleted, item.id) || written.has(item)) end();
        continue;
      }
      const str = item.content.str;
      let at = 0;
      for (const [from, to] of kept.sort((a, b) => a[0] - b[0])) {
        if (from > at) end();
        run += str.slice(from, to);
        at = to;
      }
      if (at < str.length) end();
    }
  };
  if (block.content instanceof Y.ContentType) walk(block.content.type._start);
  end();
  return runs.join(RUN_SEPARATOR);
}
