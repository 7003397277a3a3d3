import * as Y from 'yjs';

/**
 * Every system gets the same document shape: tandem's, a Tiptap "note" XmlFragment of
 * paragraphs. The other servers do not care about the shape; tandem's schema is the constraint.
 */
export const NOTE_FIELD = 'note';

export const noteOf = (doc: Y.Doc): Y.XmlFragment => doc.getXmlFragment(NOTE_FIELD);

/**
 * One update holding a paragraph of `text`, applied to the writers' docs before they connect, so
 * every session starts from the same 20–50 KB document and reaches the server
 * through each system's own sync path.
 */
export function seedUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  noteOf(doc).insert(0, [paragraph(text)]);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

/** Appends an empty paragraph and returns its text: where one writer types. */
export function appendParagraph(doc: Y.Doc): Y.XmlText {
  const p = paragraph('');
  noteOf(doc).push([p]);
  return p.get(0) as Y.XmlText;
}

/** Whether two replicas hold the same content: state vector, delete set and rendered note. */
export function sameContent(a: Y.Doc, b: Y.Doc): boolean {
  return Y.equalSnapshots(Y.snapshot(a), Y.snapshot(b)) && noteOf(a).toString() === noteOf(b).toString();
}

/** Whether `doc` has at least everything in state vector `sv` (inserts only). */
export function covers(doc: Y.Doc, sv: Map<number, number>): boolean {
  for (const [client, clock] of sv) if (Y.getState(doc.store, client) < clock) return false;
  return true;
}
