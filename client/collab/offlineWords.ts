/**
 * Words typed on this device while it was offline, into a line the co-therapist removed meanwhile:
 * deleted, or written again as a quote, a heading, a list item (the editor writes such a change as
 * the line deleted and a copy of it). Yjs deletes whatever stands inside a deleted line, also what
 * arrives there later, so when this device reconnected its words in that line vanished, seen by
 * nobody: her copy cannot hold words she never received, and this page showed them gone. Here they
 * are written again as this person's, in a line of their own after the removed one (near her copy),
 * and the page says so (a known limit until 2 Dec, see docs/security.md).
 *
 * Which words: this device's characters that the server had not stored when a connection opened
 * (the server's first Saved on a connection arrives before any of the note's content, see
 * SharedDoc.addConnection), deleted by a change from the server before the server has stored
 * them all. Nobody can have seen them before that (the server shows another device only what it
 * stored), so nobody meant to delete them; once they are stored, a deletion may be deliberate and
 * is left alone. Words typed while connected are the caret's business (caretOnRemoteEdits.ts).
 */
import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';

/** Between a connection's first Saved and the one that covers the offline words: their clocks. */
interface Watch {
  from: number;
  to: number;
}

export interface OfflineWords {
  /** A connection opened: the characters this device holds now and the server lacks are offline words. */
  connected(): void;
  /** A Saved from the server (its stored state vector): the first on a connection says which characters those are. */
  saved(stateVector: Map<number, number>): void;
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
      const text = keptText(block, pieces, tr.deleteSet);
      if (text && block.content instanceof Y.ContentType && block.content.type instanceof Y.XmlElement) lines.push({ after: block.content.type, text });
    }
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
    saved(stateVector) {
      const stored = stateVector.get(doc.clientID) ?? 0;
      if (opening !== null) {
        watch = stored < opening ? { from: stored, to: opening } : null;
        opening = null;
      } else if (watch && stored >= watch.to) {
        watch = null;
      }
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
 * words stood between them (words already deleted before this change do not count).
 */
function keptText(block: Y.Item, pieces: Map<Y.Item, [number, number][]>, deleted: DeleteSet): string {
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
        if (!item.deleted || Y.isDeleted(deleted, item.id)) end();
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
