/**
 * What one client inserted between two clocks: its text, and taking it out again. Used to set
 * aside a change too large for the server (outgoingLimit.ts).
 */
import * as Y from 'yjs';

/** The text the items of `client` with clocks in [from, to) hold; a new line where the parent changes. */
export function insertedText(doc: Y.Doc, client: number, from: number, to: number): string {
  // Nothing past the client's last clock (no items at all, or all of them before `from`): findIndexSS
  // throws there, and a reload to copy back unsaved words stopped at an id with nothing unsaved (attack, 5 Dec).
  if (from >= Math.min(to, Y.getState(doc.store, client))) return '';
  const structs = doc.store.clients.get(client)!;
  let text = '';
  let parent: unknown = null;
  for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
    const item = structs[i]!;
    if (item.id.clock >= to) break;
    if (!(item instanceof Y.Item) || !(item.content instanceof Y.ContentString)) continue;
    const start = Math.max(0, from - item.id.clock);
    const end = Math.min(item.length, to - item.id.clock);
    if (text.length > 0 && item.parent !== parent) text += '\n';
    text += item.content.str.slice(start, end);
    parent = item.parent;
  }
  return text;
}

/**
 * Deletes, in `tr`, what `client` inserted with clocks in [from, to), splitting items that reach
 * beyond the range (Yjs merges a client's adjacent items). With garbage collection on (Yjs's
 * default), the deleted content is dropped at the end of the transaction: the items remain, as
 * placeholders of their length, so later edits that build on them stay valid everywhere.
 */
export function deleteInserted(tr: Y.Transaction, client: number, from: number, to: number): void {
  let clock = from;
  while (clock < to) {
    const item = Y.getItemCleanStart(tr, Y.createID(client, clock));
    if (item.id.clock + item.length > to) Y.getItemCleanEnd(tr, tr.doc.store, Y.createID(client, to - 1));
    if (item instanceof Y.Item && !item.deleted) item.delete(tr);
    clock = item.id.clock + item.length;
  }
}
