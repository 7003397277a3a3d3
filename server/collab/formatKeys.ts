import * as Y from 'yjs';
import { eachStruct } from './deletedItems';

/** By text node (any Y type: Yjs types a node by the event it emits, which does not widen). */
type KeysByText = WeakMap<object, Set<string>>;

const known = new WeakMap<Y.Doc, KeysByText>();

/**
 * The format keys (`bold`, an observation's mark, …) a text node has held, deleted ones included:
 * a key not among them is in force nowhere in the line. The walks that look for the marks in
 * force at a character (wordMarks.ts, removedWords.ts) step over every item of the line, deleted
 * ones too, up to 5,000; a note typed and corrected in one long unformatted line paid that walk
 * at every deleted letter (2 Dec: 73 % of the server's event loop taking in the automerge-paper
 * trace, whose lines carry no formatting).
 *
 * The first call for a text node reads its items once; after that each transaction's new format
 * items are added as it ends. Inside a transaction, its own new formats may or may not be among
 * them (callers skip new items anyway).
 */
export function formatKeysOf<E>(text: Y.AbstractType<E>): ReadonlySet<string> {
  const doc = text.doc;
  if (!doc) return keysIn(text);
  let byText = known.get(doc);
  if (!byText) {
    const texts: KeysByText = new WeakMap();
    doc.on('afterTransaction', (tr: Y.Transaction) => addNewFormats(tr, texts));
    known.set(doc, texts);
    byText = texts;
  }
  let keys = byText.get(text);
  if (!keys) {
    keys = keysIn(text);
    byText.set(text, keys);
  }
  return keys;
}

function keysIn<E>(text: Y.AbstractType<E>): Set<string> {
  const keys = new Set<string>();
  for (let item = text._start; item !== null; item = item.right) {
    if (item.content instanceof Y.ContentFormat) keys.add(item.content.key);
  }
  return keys;
}

/** Adds the format items a transaction integrated to the keys of text nodes already read. */
function addNewFormats(tr: Y.Transaction, texts: KeysByText): void {
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    // Format items never merge with others, so each new one starts at or after `before`.
    eachStruct(tr.doc, client, before, after, (s) => {
      if (s instanceof Y.Item && s.content instanceof Y.ContentFormat && s.parent instanceof Y.AbstractType) texts.get(s.parent)?.add(s.content.key);
    });
  }
}
