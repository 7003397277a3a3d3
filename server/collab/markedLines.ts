import * as Y from 'yjs';
import { OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';

/*
 * Which lines of the note each observation's mark is in, kept per note so reading an observation
 * whole (observationExtents.ts) does not walk the note on every keystroke: walking it cost 6 ms an
 * update on a note of 20,000 paragraphs. Built by one walk the first time it is asked, then kept
 * by reading, after every transaction of the note, the lines it touched: a mark is only ever put on
 * words or taken off them by a change of their line's text, which makes it a touched line.
 */

interface MarkIndex {
  lines: Map<string, Set<Y.XmlElement>>;
  marks: Map<Y.XmlElement, string[]>;
}

const indexes = new WeakMap<Y.Doc, MarkIndex>();
const stands = (item: Y.Item) => !item.deleted;

/** The lines whose text carried a mark of `id` when the transaction under way began (and any it touched since). */
export function linesMarkedBy(note: Y.XmlFragment): (id: string) => ReadonlySet<Y.XmlElement> {
  const doc = note.doc!;
  let index = indexes.get(doc);
  if (!index) {
    const built: MarkIndex = { lines: new Map(), marks: new Map() };
    const walk = (type: Y.XmlFragment | Y.XmlElement) => {
      for (const child of type.toArray()) if (child instanceof Y.XmlElement) (setMarks(built, child), walk(child));
    };
    walk(note);
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      for (const line of touchedLines(tr)) setMarks(built, line);
    });
    indexes.set(doc, built);
    index = built;
  }
  const found = index;
  return (id) => found.lines.get(id) ?? new Set();
}

function setMarks(index: MarkIndex, line: Y.XmlElement): void {
  for (const id of index.marks.get(line) ?? []) {
    const lines = index.lines.get(id);
    lines?.delete(line);
    if (lines?.size === 0) index.lines.delete(id);
  }
  const ids = line._item?.deleted === true ? [] : [...new Set(marksIn(line, stands))];
  if (ids.length === 0) index.marks.delete(line);
  else index.marks.set(line, ids);
  for (const id of ids) index.lines.set(id, (index.lines.get(id) ?? new Set<Y.XmlElement>()).add(line));
}

/** The elements holding text that a transaction changed or deleted, in no particular but fixed order. */
export function touchedLines(tr: Y.Transaction): Y.XmlElement[] {
  const lines = new Set<Y.XmlElement>();
  const add = (type: unknown) => {
    if (type instanceof Y.XmlText && type.parent instanceof Y.XmlElement) lines.add(type.parent);
    else if (type instanceof Y.XmlElement) lines.add(type);
  };
  for (const type of tr.changed.keys()) add(type);
  // A line the transaction creates is no changed type to Yjs: a raw client's Enter inside a span
  // wrote its second half as a new paragraph that was not read (attack, 6 Dec).
  // (Read from the store: a transaction's afterState is only filled in once it ends.)
  for (const [client, structs] of tr.doc.store.clients) {
    const before = tr.beforeState.get(client) ?? 0;
    const last = structs[structs.length - 1];
    if (!last || last.id.clock + last.length <= before) continue;
    for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
      const s = structs[i]!;
      if (s instanceof Y.Item && s.content instanceof Y.ContentType) add(s.content.type);
    }
  }
  // A line the transaction deletes (joined into the one before it) quoted what it held before.
  Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
    if (s instanceof Y.Item && s.content instanceof Y.ContentType) add(s.content.type);
  });
  return [...lines];
}

/** The observation ids whose marks a line's text holds, of the items `visible` says stand. */
export function marksIn(line: Y.XmlElement, visible: (item: Y.Item) => boolean): string[] {
  const ids: string[] = [];
  for (let child = line._start; child !== null; child = child.right) {
    if (!(child.content instanceof Y.ContentType) || !(child.content.type instanceof Y.XmlText)) continue;
    for (let item = child.content.type._start; item !== null; item = item.right) {
      if (!(item.content instanceof Y.ContentFormat) || item.content.key !== OBSERVATION_MARK || !visible(item)) continue;
      const id = markId(item.content.value);
      if (id !== null) ids.push(id);
    }
  }
  return ids;
}

/** `lines` in the note's reading order (deleted items keep their place in it), each parent's children counted once. */
export function inNoteOrder(lines: Iterable<Y.XmlElement>): Y.XmlElement[] {
  const all = [...lines];
  if (all.length < 2) return all;
  const place = new Map<Y.Item, number>();
  const counted = new Set<unknown>();
  const path = (line: Y.XmlElement): number[] => {
    const keys: number[] = [];
    for (let item = line._item; item !== null; item = (item.parent as Y.AbstractType<unknown>)._item) {
      const parent = item.parent as Y.AbstractType<unknown>;
      if (!counted.has(parent)) {
        counted.add(parent);
        let n = 0;
        for (let c = parent._start; c !== null; c = c.right) place.set(c, n++);
      }
      keys.unshift(place.get(item) ?? 0);
    }
    return keys;
  };
  const keyed = all.map((line) => ({ line, key: path(line) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < Math.min(a.key.length, b.key.length); i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
    return a.key.length - b.key.length;
  });
  return keyed.map((k) => k.line);
}

export const markId = (value: unknown): string | null =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;
