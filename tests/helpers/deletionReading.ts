import * as Y from 'yjs';
import { formatKeysOf } from '../../server/collab/formatKeys';
import { removedWords } from '../../server/collab/removedWords';
import { deletedIn, deletedLooks } from '../../server/collab/deletedLooks';
import { looksIndex } from '../../server/collab/wordMarks';
import { NOTE_FIELD, OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';

/**
 * What the server reads of deleting the letter at `index` of `text` (the note's first line): its
 * look, read inside the deleting transaction, and the observations its words are kept under, read
 * on a copy of the note from before, which has read its line already (as the server has by then).
 */
export function readDeletion(doc: Y.Doc, text: Y.XmlText, index: number): { look: unknown; underObservation: string[] } {
  let look: unknown = 'unread';
  const before = Y.encodeStateVector(doc);
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  formatKeysOf((copy.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText);
  doc.transact((tr) => {
    text.delete(index, 1);
    const id = [...tr.deleteSet.clients].flatMap(([client, ranges]) => ranges.map((r) => ({ client, clock: r.clock })))[0]!;
    look = looksIndex(deletedLooks(tr, deletedIn(tr))).looks(id.client, id.clock, 1);
  });
  const update = Y.encodeStateAsUpdate(doc, before);
  return { look, underObservation: [...removedWords(copy, Y.decodeUpdate(update).ds, OBSERVATION_MARK).keys()] };
}
