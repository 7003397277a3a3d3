/**
 * What one client inserted between two clocks: its text, the words of its records, and taking it
 * out again. Used to set aside a change too large for the server (outgoingLimit.ts) and to show
 * what a reload drops (CollabConnection.unsavedText).
 */
import * as Y from 'yjs';
import { RISK_PART_NAMES, riskEntrySchema, riskPartsBy } from '../../shared/domain/risk';
import { flagResponseSchema } from '../../shared/domain/observation';
import { RESPONSES, RISK } from '../../shared/ydoc/sessionDoc';

/** The items of `client` with clocks in [from, to). */
function* itemsInserted(doc: Y.Doc, client: number, from: number, to: number): Generator<Y.Item> {
  // Nothing past the client's last clock (no items at all, or all of them before `from`): findIndexSS
  // throws there, and a reload to copy back unsaved words stopped at an id with nothing unsaved (attack, 5 Dec).
  if (from >= Math.min(to, Y.getState(doc.store, client))) return;
  const structs = doc.store.clients.get(client)!;
  for (let i = Y.findIndexSS(structs, from); i < structs.length; i++) {
    const item = structs[i]!;
    if (item.id.clock >= to) break;
    if (item instanceof Y.Item) yield item;
  }
}

/** The text the items of `client` with clocks in [from, to) hold; a new line where the parent changes. */
export function insertedText(doc: Y.Doc, client: number, from: number, to: number): string {
  let text = '';
  let parent: unknown = null;
  for (const item of itemsInserted(doc, client, from, to)) {
    if (!(item.content instanceof Y.ContentString)) continue;
    const start = Math.max(0, from - item.id.clock);
    const end = Math.min(item.length, to - item.id.clock);
    if (text.length > 0 && item.parent !== parent) text += '\n';
    text += item.content.str.slice(start, end);
    parent = item.parent;
  }
  return text;
}

/**
 * The words of the records `client` wrote with clocks in [from, to) that this copy still shows,
 * one labelled line each: the parts of a risk record in its writer's own name (`Safety plan for
 * M2: …`) and the note of an answer to a flag. A record is no text of the note, so a reload after
 * a refused write dropped them unseen (a risk save made offline, refused when the co-therapist had
 * changed the part it kept in her name meanwhile: 5 Dec).
 */
export function insertedRecordWords(doc: Y.Doc, client: number, from: number, to: number): string[] {
  const risk = doc.getMap(RISK);
  const responses = doc.getMap(RESPONSES);
  const lines: string[] = [];
  for (const item of itemsInserted(doc, client, from, to)) {
    if (item.deleted || !(item.content instanceof Y.ContentAny) || item.parentSub === null) continue;
    const value: unknown = item.content.arr[0];
    if (item.parent === risk) {
      const entry = riskEntrySchema.safeParse(value);
      if (!entry.success) continue;
      for (const [part, words] of riskPartsBy(entry.data, entry.data.by)) {
        const name = RISK_PART_NAMES[part];
        lines.push(`${name.charAt(0).toUpperCase()}${name.slice(1)} for ${item.parentSub}: ${words}`);
      }
    } else if (item.parent === responses) {
      const note = flagResponseSchema.safeParse(value).data?.note?.trim();
      if (note) lines.push(`Note of your answer to a flag: ${note}`);
    }
  }
  return lines;
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
