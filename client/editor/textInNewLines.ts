import { Extension } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';

/**
 * Gives every line this editor creates empty (Enter at a line's end, a new list item, a line made
 * a heading) its text at once, before anyone types in it. The collaboration binding leaves an
 * empty line without one and makes it with the first letter; two therapists typing into the same
 * empty line at the same moment each made one, and the binding then joins two texts of a line by
 * writing one's letters into the other as its own: a letter came out twice, the copy credited to
 * the co-therapist, and once her words were struck as deleted by him (walk, 2 Dec). With the text
 * there first, both type into the same one and Yjs merges the letters as it does anywhere else.
 * The server makes the template's empty lines the same way (server/collab/template.ts).
 */
export const TextInNewLines = Extension.create<{ doc: Y.Doc | null }>({
  name: 'textInNewLines',

  addOptions() {
    return { doc: null };
  },

  onBeforeCreate() {
    const doc = this.options.doc;
    if (!doc) return;
    const textblocks = textblockNames(this.editor.schema);
    const onTransaction = (tr: Y.Transaction) => {
      if (!tr.local) return;
      const empty = newEmptyLines(tr, textblocks);
      // Its own transaction, sent right behind the one that made the line.
      if (empty.length > 0) doc.transact(() => empty.forEach((line) => line.insert(0, [new Y.XmlText()])), tr.origin);
    };
    doc.on('afterTransaction', onTransaction);
    this.storage.stop = () => doc.off('afterTransaction', onTransaction);
  },

  onDestroy() {
    this.storage.stop?.();
  },

  addStorage() {
    return { stop: null as (() => void) | null };
  },
});

function textblockNames(schema: Schema): Set<string> {
  return new Set(Object.values(schema.nodes).filter((type) => type.isTextblock).map((type) => type.name));
}

/** The textblock elements a local transaction created that are still there and hold nothing. */
function newEmptyLines(tr: Y.Transaction, textblocks: ReadonlySet<string>): Y.XmlElement[] {
  const client = tr.doc.clientID;
  const before = tr.beforeState.get(client) ?? 0;
  const structs = tr.doc.store.clients.get(client);
  if (!structs || Y.getState(tr.doc.store, client) <= before) return [];
  const lines: Y.XmlElement[] = [];
  for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
    const s = structs[i];
    if (!(s instanceof Y.Item) || s.deleted || !(s.content instanceof Y.ContentType)) continue;
    const type = s.content.type;
    if (type instanceof Y.XmlElement && textblocks.has(type.nodeName) && type.length === 0) lines.push(type);
  }
  return lines;
}
