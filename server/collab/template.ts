import * as Y from 'yjs';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';

/**
 * The first content of a new note, written once by the server when the session is created, so
 * two clients opening an empty note never race to fill it. Shaped as Tiptap's schema stores it.
 */
export function templateUpdate(sections: string[]): Uint8Array {
  const doc = new Y.Doc();
  const note = doc.getXmlFragment(NOTE_FIELD);
  doc.transact(() => {
    note.insert(
      0,
      sections.flatMap((title) => {
        const heading = new Y.XmlElement('heading');
        // Tiptap's heading wants a numeric level; Yjs types attributes as strings by default.
        (heading as unknown as Y.XmlElement<{ level: number }>).setAttribute('level', 2);
        heading.insert(0, [new Y.XmlText(title)]);
        // The empty line holds its text from the start: two therapists typing into it at once
        // then type into one text (client/editor/textInNewLines.ts says why).
        const line = new Y.XmlElement('paragraph');
        line.insert(0, [new Y.XmlText()]);
        return [heading, line];
      }),
    );
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}
