import * as Y from 'yjs';
import { attributeMark, attributeValue, isAttributeMark, LABELLED_ATTRIBUTES, type FormattedWords } from '../../shared/note/formattedWords';
import type { AttributeValues } from './blockChanges';
import type { FormatChange } from './formatChanges';
import { eachStruct } from './deletedItems';
import type { AttributeReader } from './wordMarks';

/**
 * Words already in the note whose block a transaction gave another value of a labelled attribute
 * (LABELLED_ATTRIBUTES: a heading's level, a numbered list's start or numbering, a code block's
 * language), as format changes under its attributeMark with the value it had and the one it was
 * given (AttributeValues), as blockChanges reports a copy's. y-prosemirror writes such a change on the
 * element itself, so no words were copied and nothing recorded it (attack, 6 Dec: A's "1. 2. 3."
 * read "7. 8. 9." as hers). Read inside the transaction (`before`: the attributes as they were,
 * attributeBefore); elements it wrote or deletes are left out (their words are new, or struck and
 * copied: blockChanges). A list's words are those of its items, but for numbered lists inside it, which
 * number their own.
 */
export function attributeChanges(tr: Y.Transaction, before: AttributeReader): FormatChange[] {
  const isNew = (item: Y.Item) => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
  const out: FormatChange[] = [];
  for (const [type, keys] of tr.changed) {
    if (!(type instanceof Y.XmlElement) || !Object.hasOwn(LABELLED_ATTRIBUTES, type.nodeName)) continue;
    const item = type._item;
    if (!item || isNew(item) || item.deleted) continue;
    const node = type.nodeName;
    const changed = [...keys].flatMap((key) => {
      if (key === null || !Object.hasOwn(LABELLED_ATTRIBUTES[node]!, key)) return [];
      const value: AttributeValues = { from: attributeValue(node, key, before(type, key)), to: attributeValue(node, key, type.getAttribute(key)) };
      return JSON.stringify(value.from) === JSON.stringify(value.to) ? [] : [{ mark: attributeMark(node, key), value }];
    });
    if (changed.length === 0) continue;
    for (const r of wordsOf(type, node, isNew)) for (const change of changed) out.push({ ...r, ...change });
  }
  return out;
}

/** A stretch of one client's clocks: `len` from `clock` on, reading `text`. */
interface Stretch {
  client: number;
  clock: number;
  len: number;
  text: string;
}

/**
 * The visible characters under `element` written before the transaction, as stretches of one
 * client's clocks: its lines' runs, joined where nothing but the block's own items lies between
 * them (the items of its lines and elements, letters deleted from its lines). One entry per writer's
 * stretch of a list, not one per line: a list's start changed by a few bytes wrote an entry for each
 * of its lines, 68 KB more stored note per change on a list of 2,000 lines (probe, 6 Dec).
 */
function wordsOf(element: Y.XmlElement, node: string, isNew: (item: Y.Item) => boolean): Stretch[] {
  const runs: Stretch[] = [];
  const texts = new Set<object>();
  const walk = (type: Y.XmlElement | Y.XmlText) => {
    if (type instanceof Y.XmlText) {
      texts.add(type);
      const first = runs.length;
      for (let item = type._start; item !== null; item = item.right) {
        if (item.deleted || !(item.content instanceof Y.ContentString) || isNew(item)) continue;
        const last = runs.length > first ? runs.at(-1) : undefined;
        if (last && last.client === item.id.client && last.clock + last.len === item.id.clock) {
          last.len += item.length;
          last.text += item.content.str;
        } else runs.push({ client: item.id.client, clock: item.id.clock, len: item.length, text: item.content.str });
      }
      return;
    }
    for (const child of type.toArray()) {
      if (child instanceof Y.XmlText || (child instanceof Y.XmlElement && child.nodeName !== node)) walk(child);
    }
  };
  walk(element);
  return joinedInside(element.doc!, runs, texts, isNew);
}

/**
 * `runs` of each client joined where every item of that client between two of them is the block's
 * own (in one of its lines, `texts`, or no character at all: an element, an attribute). A joined
 * stretch's `text` is its first line's words: the record of the change names them, the note holds
 * the rest (the whole list's words, written again at every change, grew the stored note as much).
 */
function joinedInside(doc: Y.Doc, runs: readonly Stretch[], texts: ReadonlySet<object>, isNew: (item: Y.Item) => boolean): Stretch[] {
  const inside = (client: number, from: number, to: number) => {
    let only = true;
    eachStruct(doc, client, from, to, (s) => {
      only &&= s instanceof Y.Item && !isNew(s) && !(s.parent instanceof Y.XmlText && !texts.has(s.parent));
    });
    return only;
  };
  const out: Stretch[] = [];
  const sorted = [...runs].sort((x, y) => x.client - y.client || x.clock - y.clock);
  for (const r of sorted) {
    const last = out.at(-1);
    const end = last ? last.clock + last.len : 0;
    if (last && last.client === r.client && end <= r.clock && inside(r.client, end, r.clock)) {
      last.len = r.clock + r.len - last.clock;
    } else out.push({ ...r });
  }
  return out;
}

/**
 * The `value` and `was` of the entry `by` makes of a change of a block's attribute over `author`'s
 * words (nothing for any other change): the value given, and the value she wrote them in, which is
 * the one given where the change is hers, else what the latest entry of it over them (`prior`) says,
 * else the value before this change. So a chain (2 to 4 by B, 3 by A, 2 by B) reads against A's 3.
 */
export function attributeEntry(change: FormatChange, by: string, author: string, prior: FormattedWords | undefined): Pick<FormattedWords, 'value' | 'was'> {
  if (!isAttributeMark(change.mark)) return {};
  const { from, to } = change.value as AttributeValues;
  return { value: to, was: by === author ? to : prior && 'was' in prior ? prior.was : from };
}
