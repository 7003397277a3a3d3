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
 * This device's characters are those under any Yjs client id a page of it wrote this note's copy
 * with (`own`): a page opened again, or reloaded offline, has a new id, and words typed before
 * were lost otherwise (walk, 2 Dec).
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

/** While a connection's first sync goes on: the clocks of the offline words, per client id. */
type Watch = Map<number, { from: number; to: number }>;

export interface OfflineWords {
  /** Client ids of this device's earlier pages on this note (their words are this device's too). */
  own(clients: Iterable<number>): void;
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
  let opening: Map<number, number> | null = null;
  let watch: Watch | null = null;
  const mine = new Set<number>();
  /** Characters already written again: a later change's run does not read on across them. */
  const written = new WeakSet<Y.Item>();

  const onTransaction = (tr: Y.Transaction) => {
    if (!watch || !fromServer(tr)) return;
    const pieces = offlinePieces(doc, tr.deleteSet, watch);
    if (pieces.size === 0) return;
    const root = doc.getXmlFragment(field);
    const blocks = new Set<Y.Item>();
    for (const item of pieces.keys()) {
      const block = topBlock(item, root);
      if (block) blocks.add(block);
    }
    // Per place, in the note's order of the removed blocks (several kept lines after one copy stay in order).
    const lines = new Map<Y.XmlElement, string[]>();
    for (let block = root._start; block; block = block.right) {
      if (!blocks.has(block)) continue;
      const text = keptText(block, pieces, tr.deleteSet, written);
      const after = placeAfter(block, tr);
      if (!text || !(after.content instanceof Y.ContentType) || !(after.content.type instanceof Y.XmlElement)) continue;
      lines.set(after.content.type, [...(lines.get(after.content.type) ?? []), text]);
    }
    for (const item of pieces.keys()) written.add(item);
    if (lines.size === 0) return;
    // A transaction of this device's own, sent like typing (Yjs runs it after this one's observers).
    doc.transact(() => {
      for (const [after, texts] of lines) {
        root.insertAfter(
          after,
          texts.map((text) => {
            const line = new Y.XmlElement('paragraph');
            line.insert(0, [new Y.XmlText(text)]);
            return line;
          }),
        );
      }
    });
    onKept([...lines.values()].flat());
  };
  doc.on('afterTransaction', onTransaction);

  return {
    own(clients) {
      for (const c of clients) mine.add(c);
    },
    connected() {
      mine.add(doc.clientID);
      opening = new Map([...mine].map((c) => [c, Y.getState(doc.store, c)]));
      watch = null;
    },
    serverHas(stateVector) {
      if (opening === null) return;
      watch = new Map();
      for (const [client, to] of opening) {
        const from = stateVector.get(client) ?? 0;
        if (from < to) watch.set(client, { from, to });
      }
      if (watch.size === 0) watch = null;
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
      const range = watch?.get(id.client);
      return range !== undefined && id.clock >= range.from && id.clock < range.to;
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
function offlinePieces(doc: Y.Doc, deleted: DeleteSet, watch: Watch): Map<Y.Item, [number, number][]> {
  const pieces = new Map<Y.Item, [number, number][]>();
  for (const [client, range] of watch) {
    for (const r of deleted.clients.get(client) ?? []) {
      const start = Math.max(r.clock, range.from);
      const end = Math.min(r.clock + r.len, range.to);
      for (let clock = start; clock < end; ) {
        const struct = Y.getItem(doc.store, Y.createID(client, clock)) as Y.Item | Y.GC;
        const next = struct.id.clock + struct.length;
        if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
          const list = pieces.get(struct) ?? [];
          list.push([clock - struct.id.clock, Math.min(end, next) - struct.id.clock]);
          pieces.set(struct, list);
        }
        clock = next;
      }
    }
  }
  return pieces;
}

/**
 * Where a kept line goes: after the co-therapist's copy of the removed `block`, the first of the
 * blocks this change wrote right before it (the editor writes its copy there; without it, the
 * line went after blocks she rewrote later, under another heading: walk, 2 Dec); else after
 * `block`, where the line stood.
 */
function placeAfter(block: Y.Item, tr: Y.Transaction): Y.Item {
  let copy: Y.Item | null = null;
  for (let left = block.left; left && left.id.clock >= (tr.beforeState.get(left.id.client) ?? 0); left = left.left) copy = left;
  return copy ?? block;
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
