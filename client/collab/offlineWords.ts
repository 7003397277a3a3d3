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
import * as Y from 'yjs';
import type { DeleteSet } from '../../shared/protocol/storedState';

/**
 * While a connection's first sync goes on: the clocks of the offline words, per client id, [held,
 * to), and of this page's words in flight, [from, flown): typed before its last connection dropped,
 * not said to be stored by then, and held by the server when this one opened. Sent into a dying
 * socket, they may have reached it only after their line was removed (walk, 2 Dec: "and" typed as
 * the network went, lost everywhere). Words of either kind are kept only where the change that
 * removes them holds no copy of them (her copy of a line she saw them in: see withoutCopies). What
 * lies between, the server has from another tab of the device, which keeps them.
 */
type Watch = Map<number, { from: number; flown: number; held: number; to: number }>;

export interface OfflineWords {
  /** Client ids of this device's earlier pages on this note (their words are this device's too). */
  own(clients: Iterable<number>): void;
  /** A connection opened: the characters this device holds now and the server lacks are offline words. */
  connected(): void;
  /** The server's state vector in its sync step 1: which of this device's characters it lacks. */
  serverHas(stateVector: Map<number, number>): void;
  /** What the server said it stored (its Saved), while connected: what was in flight when a connection drops. */
  confirmed(stateVector: Map<number, number>): void;
  /** The server answered this device's sync step 1: from now on a deletion may be deliberate. */
  synced(): void;
  /** The connection closed: the next one starts again. */
  disconnected(): void;
  /**
   * Whether the character `id` names is one of the offline words still watched, or one this page
   * typed while it had no connection (until its first sync after it): the caret leaves them alone.
   */
  isOffline(id: Y.ID): boolean;
  stop(): void;
}

/** Runs of kept words in one line are joined by this (other words stood between them). */
const RUN_SEPARATOR = ' … ';

/**
 * Watches `doc` (its note in the XML fragment `field`) for offline words a change from the server
 * (`fromServer` says which transactions are) deletes; writes them again (see the module comment)
 * and reports each new line's text to `onKept`.
 */
export function keepOfflineWords(doc: Y.Doc, field: string, fromServer: (tr: Y.Transaction) => boolean, onKept: (lines: string[]) => void): OfflineWords {
  let opening: Map<number, number> | null = null;
  let watch: Watch | null = null;
  /**
   * This page's own letters typed while it had no connection, until its next first sync: another
   * tab of the device may have sent (and kept) them first, so the caret must not write them again
   * either (walk, 2 Dec: two tabs, one reloaded offline, the words twice).
   */
  let typedOffline: { from: number; to: number } | null = null;
  /** This page's clock when it last lost a synced connection (0: it never had one). */
  let offlineSince = 0;
  let live = false;
  /** What the server last said it stored, and that as it stood when the connection (re)opened. */
  let stored = new Map<number, number>();
  let storedAtOpen = stored;
  const mine = new Set<number>();
  /** Characters already written again: a later change's run does not read on across them. */
  const written = new WeakSet<Y.Item>();

  const onTransaction = (tr: Y.Transaction) => {
    if (!watch || !fromServer(tr)) return;
    const pieces = withoutCopies(offlinePieces(doc, tr.deleteSet, watch), tr);
    if (pieces.size === 0) return;
    const root = doc.getXmlFragment(field);
    const removed = new Set<Y.Item>();
    for (const item of pieces.keys()) {
      const gone = removedAround(item, root);
      if (gone) removed.add(gone);
    }
    // Per place, in the note's order of the removed elements (several kept lines after one copy stay in order).
    const places = new Map<Y.Item, { into: Y.XmlFragment; after: Y.XmlElement; lines: Y.XmlElement[] }>();
    const texts: string[] = [];
    for (const element of inNoteOrder(root, removed)) {
      const text = keptText(element, pieces, tr.deleteSet, (item) => written.has(item) || !isOffline(watch, item.id));
      const where = text ? placeFor(element, tr, root) : null;
      if (!text || !where) continue;
      const place = places.get(where.after) ?? { into: where.into, after: where.type, lines: [] };
      place.lines.push(lineOf(text, where.listItem));
      places.set(where.after, place);
      texts.push(text);
    }
    for (const item of pieces.keys()) written.add(item);
    if (places.size === 0) return;
    // A transaction of this device's own, sent like typing (Yjs runs it after this one's observers).
    doc.transact(() => {
      for (const { into, after, lines } of places.values()) into.insertAfter(after, lines);
    });
    onKept(texts);
  };
  doc.on('afterTransaction', onTransaction);

  return {
    own(clients) {
      for (const c of clients) mine.add(c);
    },
    connected() {
      mine.add(doc.clientID);
      opening = new Map([...mine].map((c) => [c, Y.getState(doc.store, c)]));
      storedAtOpen = stored;
      watch = null;
      typedOffline = { from: offlineSince, to: Y.getState(doc.store, doc.clientID) };
    },
    serverHas(stateVector) {
      if (opening === null) return;
      watch = new Map();
      for (const [client, to] of opening) {
        const held = stateVector.get(client) ?? 0;
        const flown = client === doc.clientID ? Math.min(held, offlineSince) : held;
        const from = Math.min(flown, storedAtOpen.get(client) ?? flown);
        if (from < flown || held < to) watch.set(client, { from, flown, held, to });
      }
      if (watch.size === 0) watch = null;
      opening = null;
    },
    confirmed(stateVector) {
      stored = stateVector;
    },
    synced() {
      opening = null;
      watch = null;
      typedOffline = null;
      live = true;
    },
    disconnected() {
      if (live) offlineSince = Y.getState(doc.store, doc.clientID);
      live = false;
      opening = null;
      watch = null;
      typedOffline = null;
    },
    isOffline: (id) => isOffline(watch, id) || (typedOffline !== null && id.client === doc.clientID && id.clock >= typedOffline.from && id.clock < typedOffline.to),
    stop() {
      doc.off('afterTransaction', onTransaction);
    },
  };
}

/**
 * Tells `words` what `provider` goes through: a connection opening, the first sync done, the
 * connection closing. (The server's sync step 1 comes through serverMessages.ts: `serverHas`.)
 */
export function followProvider(provider: WebsocketProvider, words: OfflineWords): void {
  provider.on('status', ({ status }: { status: string }) => (status === 'connected' ? words.connected() : words.disconnected()));
  provider.on('sync', (synced: boolean) => synced && words.synced());
}

/** The deleted offline characters of this transaction: for each text item, its deleted offline clock ranges. */
function offlinePieces(doc: Y.Doc, deleted: DeleteSet, watch: Watch): Map<Y.Item, [number, number][]> {
  const pieces = new Map<Y.Item, [number, number][]>();
  for (const [client, range] of watch) {
    for (const r of deleted.clients.get(client) ?? []) {
      for (const [from, to] of [[range.from, range.flown], [range.held, range.to]] as const) {
        const start = Math.max(r.clock, from);
        const end = Math.min(r.clock + r.len, to);
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
  }
  return pieces;
}

/**
 * `pieces` without the words the change wrote a copy of: she had them, and her copy of the line
 * holds them. Words in flight when the last connection dropped ([from, flown) of the watch) may
 * have reached her before; so may offline words sent into the dying socket that the server read
 * only after it said what it held at this connection's opening, and relayed before it answered
 * this device. A copy is the words with what stood before them in their line (up to CONTEXT
 * characters), among the characters the change wrote. It may hold only the first of them, the
 * line ending there: she copied the line as her screen had it, and the rest came after. Then only
 * the rest is kept (walk, busy machine: her heading held "and cried" and the kept line "and cried
 * briefly", the words twice in the signed note).
 */
function withoutCopies(pieces: Map<Y.Item, [number, number][]>, tr: Y.Transaction): Map<Y.Item, [number, number][]> {
  let written: string | null = null;
  for (const [item, ranges] of pieces) {
    const str = (item.content as Y.ContentString).str;
    const kept: [number, number][] = [];
    for (const [start, end] of ranges) {
      written ??= newText(tr);
      const copied = copiedLength(written, textBefore(item, start), str.slice(start, end));
      if (start + copied < end) kept.push([start + copied, end]);
    }
    if (kept.length > 0) pieces.set(item, kept);
    else pieces.delete(item);
  }
  return pieces;
}

/**
 * How many of `words`, from the first, `written` holds right after `before`: all of them, or
 * fewer where the copied line ends after them; 0 for none, or only spaces.
 */
function copiedLength(written: string, before: string, words: string): number {
  // Holding some of the words means holding fewer of them too: the most are found by halving.
  let low = 0;
  let high = words.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (written.includes(before + words.slice(0, mid))) low = mid;
    else high = mid - 1;
  }
  if (words.slice(0, low).trim() === '') return 0;
  return low === words.length || written.includes(before + words.slice(0, low) + LINE_EDGE) ? low : 0;
}

/** Characters of the line read before a copy's words, to tell her copy from the same words elsewhere. */
const CONTEXT = 24;

/** Where a text node starts and ends, in the text a change wrote and in what stood before a copy's words. */
const LINE_EDGE = '\u0000';

/**
 * Up to CONTEXT characters standing before offset `at` of `item` in its text node, deleted by this
 * change or not; from LINE_EDGE when that is all there is (the same few letters starting another
 * line are no copy of them).
 */
function textBefore(item: Y.Item, at: number): string {
  let text = (item.content as Y.ContentString).str.slice(0, at);
  let left = item.left;
  for (; left && text.length < CONTEXT; left = left.left) {
    if (left.content instanceof Y.ContentString) text = left.content.str + text;
  }
  return left || text.length >= CONTEXT ? text.slice(-CONTEXT) : LINE_EDGE + text;
}

/** The text the transaction wrote, its new characters one text node after another, each between LINE_EDGEs. */
function newText(tr: Y.Transaction): string {
  const parts: string[] = [LINE_EDGE];
  let parent: Y.AbstractType<unknown> | null = null;
  for (const [client, after] of tr.afterState) {
    for (let clock = tr.beforeState.get(client) ?? 0; clock < after; ) {
      const struct = Y.getItem(tr.doc.store, Y.createID(client, clock)) as Y.Item | Y.GC;
      if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
        if (parent !== null && struct.parent !== parent) parts.push(LINE_EDGE);
        parent = struct.parent as Y.AbstractType<unknown>;
        parts.push(struct.content.str.slice(clock - struct.id.clock));
      }
      clock = struct.id.clock + struct.length;
    }
  }
  parts.push(LINE_EDGE);
  return parts.join('');
}

function isOffline(watch: Watch | null, id: Y.ID): boolean {
  const range = watch?.get(id.client);
  return range !== undefined && ((id.clock >= range.from && id.clock < range.flown) || (id.clock >= range.held && id.clock < range.to));
}

/**
 * The element the change removed around `item`: the outermost deleted one in the note whose parent
 * stands (a line, a list item, a whole list); null when `item` is not in the note.
 */
function removedAround(item: Y.Item, root: Y.XmlFragment): Y.Item | null {
  let removed: Y.Item | null = null;
  for (let at: Y.Item | null = item; at; at = (at.parent as Y.AbstractType<unknown>)._item) {
    if (at.deleted && at.content instanceof Y.ContentType) removed = at;
    if (at.parent === root) return removed;
  }
  return null;
}

/** `items` in the note's order (depth first). */
function inNoteOrder(root: Y.XmlFragment, items: Set<Y.Item>): Y.Item[] {
  const ordered: Y.Item[] = [];
  const walk = (item: Y.Item | null) => {
    for (; item; item = item.right) {
      if (items.has(item)) ordered.push(item);
      else if (item.content instanceof Y.ContentType) walk(item.content.type._start);
    }
  };
  walk(root._start);
  return ordered;
}

/**
 * Where a kept line goes, and as what: a list item in the list that still stands when the change
 * removed one of its items, else a paragraph at the top of the note (a line of a removed list or
 * quote goes after the whole block). There it goes right after the co-therapist's copy of the
 * removed element, the first of the elements this change wrote right before it (without it, the
 * line went after blocks she rewrote later, under another heading: walk, 2 Dec); else after the
 * element, where it stood. Null when there is no such place.
 */
function placeFor(removed: Y.Item, tr: Y.Transaction, root: Y.XmlFragment): { into: Y.XmlFragment; after: Y.Item; type: Y.XmlElement; listItem: boolean } | null {
  const parent = removed.parent;
  const listItem = removed.content instanceof Y.ContentType && removed.content.type instanceof Y.XmlElement && removed.content.type.nodeName === 'listItem' && parent instanceof Y.XmlElement;
  let at: Y.Item | null = removed;
  if (!listItem) while (at && at.parent !== root) at = (at.parent as Y.AbstractType<unknown>)._item;
  if (!at) return null;
  let copy: Y.Item | null = null;
  for (let left = at.left; left && left.id.clock >= (tr.beforeState.get(left.id.client) ?? 0); left = left.left) copy = left;
  const after = copy ?? at;
  if (!(after.content instanceof Y.ContentType) || !(after.content.type instanceof Y.XmlElement)) return null;
  return { into: listItem ? (parent as Y.XmlElement) : root, after, type: after.content.type, listItem };
}

/** A new line holding `text`: a paragraph, or a list item holding one. */
function lineOf(text: string, listItem: boolean): Y.XmlElement {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  if (!listItem) return paragraph;
  const item = new Y.XmlElement('listItem');
  item.insert(0, [paragraph]);
  return item;
}

/**
 * The kept characters in `block` (a removed element), in the note's order, runs joined by
 * RUN_SEPARATOR where other words stood between them: words standing until this change, or deleted
 * before it when `stood` says they were someone's words, not this device's offline letters taken
 * back (words kept by an earlier change, or deleted by another in an earlier frame: attack, 2 Dec).
 */
function keptText(block: Y.Item, pieces: Map<Y.Item, [number, number][]>, deleted: DeleteSet, stood: (item: Y.Item) => boolean): string {
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
        if (!item.deleted || Y.isDeleted(deleted, item.id) || stood(item)) end();
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
