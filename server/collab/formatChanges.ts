import { equalityDeep } from 'lib0/function';
import * as Y from 'yjs';
import { eachStruct } from './deletedItems';
import { deletedIn } from './deletedLooks';
import { markMeaning } from './wordMarks';

/** Characters already in the note whose mark `mark` a transaction changed to `value` (null: taken off). */
export interface FormatChange {
  /** `len` characters from `clock` on under `client` (Yjs ids), reading `text`. */
  client: number;
  clock: number;
  len: number;
  text: string;
  mark: string;
  value: unknown;
}

/**
 * What a client's transaction did to the formatting of characters that were in the note before it
 * and still are: read inside the transaction, before Yjs's own clean-up of redundant formats runs,
 * by walking each text node it put a format item in or took one out of, with the formats in force
 * before (items older than the transaction and not deleted before it) beside those in force now.
 * Characters it wrote itself are new words (a paste, a moved line carrying its marks), not changes.
 * `writers`: the client ids the update writes under; `ignore`: a mark left out (the observation
 * mark, which has a guard of its own).
 */
export function formatChanges(tr: Y.Transaction, writers: Iterable<number>, ignore: string): FormatChange[] {
  const deletedNow = deletedIn(tr);
  // Per text node, the marks whose format items the transaction wrote or removed: only those can change.
  const texts = new Map<Y.XmlText, Set<string>>();
  const touch = (s: Y.Item | Y.GC) => {
    if (!(s instanceof Y.Item) || !(s.content instanceof Y.ContentFormat) || s.content.key === ignore || !(s.parent instanceof Y.XmlText)) return;
    const keys = texts.get(s.parent);
    if (keys) keys.add(s.content.key);
    else texts.set(s.parent, new Set([s.content.key]));
  };
  // The new structs of every client the update writes under (a big update is applied in pieces,
  // each its own transaction, whose facts list no inserted ranges: the writers are the whole update's).
  for (const client of writers) eachStruct(tr.doc, client, tr.beforeState.get(client) ?? 0, Number.MAX_SAFE_INTEGER, touch);
  for (const [client, ranges] of tr.deleteSet.clients) for (const r of ranges) eachStruct(tr.doc, client, r.clock, r.clock + r.len, touch);
  const isNew = (item: Y.Item) => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
  const out: FormatChange[] = [];
  for (const [text, touched] of texts) {
    const marks = [...touched];
    const before = new Map<string, unknown>();
    const now = new Map<string, unknown>();
    // Runs being extended, per mark and writer: another writer's characters between them (words
    // typed into the line, one by one) do not cut one writer's run of changed characters.
    const open = new Map<string, FormatChange>();
    // Whether any touched mark is in force differently before and now: most of a line is not.
    let differs = false;
    for (let item = (text as unknown as { _start: Y.Item | null })._start; item !== null; item = item.right) {
      const content = item.content;
      if (content.constructor === Y.ContentFormat) {
        const { key, value } = content as Y.ContentFormat;
        if (!touched.has(key)) continue;
        if (!isNew(item) && (!item.deleted || deletedNow(item))) before.set(key, value);
        if (!item.deleted) now.set(key, value);
        differs = marks.some((m) => !sameMark(m, now.get(m) ?? null, before.get(m) ?? null));
        if (!differs) open.clear();
        continue;
      }
      if (!differs || item.deleted || content.constructor !== Y.ContentString || isNew(item)) continue;
      const str = (content as Y.ContentString).str;
      for (const mark of marks) {
        const value = now.get(mark) ?? null;
        const key = `${mark}:${item.id.client}`;
        if (sameMark(mark, value, before.get(mark) ?? null)) {
          open.delete(key);
          continue;
        }
        const run = open.get(key);
        if (run && run.clock + run.len === item.id.clock && sameValue(run.value, value)) {
          run.len += item.length;
          run.text += str;
        } else {
          const change = { client: item.id.client, clock: item.id.clock, len: item.length, text: str, mark, value };
          out.push(change);
          open.set(key, change);
        }
      }
    }
  }
  return out;
}

// Deep and order-blind: a mark's attributes written again in another key order are the same mark;
// of a link, only its address counts (markMeaning).
const sameValue = (a: unknown, b: unknown) => equalityDeep(a, b);
const sameMark = (mark: string, a: unknown, b: unknown) => sameValue(markMeaning(mark, a), markMeaning(mark, b));
