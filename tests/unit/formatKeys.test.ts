import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { formatKeysOf } from '../../server/collab/formatKeys';
import { removedWords } from '../../server/collab/removedWords';
import { MAX_STEPS } from '../../server/collab/wordMarks';
import { OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';
import { readDeletion } from '../helpers/deletionReading';

/** A line of `letters` plain letters; `corrected`: each typed with a wrong letter after it, then deleted (an item each). */
function plainLine(letters: number, corrected = false): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  doc.getXmlFragment('note').push([p]);
  const text = new Y.XmlText();
  p.insert(0, [text]);
  if (!corrected) {
    text.insert(0, 'a'.repeat(letters));
    return { doc, text };
  }
  text.insert(0, 'ax'.repeat(letters));
  doc.transact(() => {
    for (let i = letters; i > 0; i--) text.delete(2 * i - 1, 1);
  });
  return { doc, text };
}

// 2 Dec: every deleted letter of a long unformatted line walked up to 5,000 items to find the marks
// in force there, 73 % of the server's event loop taking in the automerge-paper trace. A line that
// never held a mark is not walked: its letters look plain wherever they stand.
describe('the format keys a line has held', () => {
  it('reads a plain letter past the walk’s bound as plain, not as unknown', () => {
    const { doc, text } = plainLine(MAX_STEPS, true);
    const near = readDeletion(doc, text, 0);
    expect(near.look).not.toBeNull();
    const far = readDeletion(doc, text, text.length - 1);
    expect(far.look).toEqual(near.look);
    expect(far.underObservation).toEqual([]);
  });

  it('learns of marks written after the line was first read, locally and from another document', () => {
    const { doc, text } = plainLine(40);
    expect([...formatKeysOf(text)]).toEqual([]);
    const plain = readDeletion(doc, text, 39).look;
    text.format(0, 10, { bold: {} });
    expect([...formatKeysOf(text)]).toEqual(['bold']);
    const bold = readDeletion(doc, text, 2);
    expect(bold.look).not.toBeNull();
    expect(bold.look).not.toEqual(plain);

    // An observation opened by a co-therapist's update, taken in after the line was read.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const otherText = (other.getXmlFragment('note').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    otherText.format(20, 10, { [OBSERVATION_MARK]: { id: 'obs-9' } });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)));
    expect(formatKeysOf(text).has(OBSERVATION_MARK)).toBe(true);
    expect(readDeletion(doc, text, 25).underObservation).toEqual(['obs-9']);
    expect(readDeletion(doc, text, 35).underObservation).toEqual([]);
  });

  it('keeps a deleted letter under the observation in the copy that read its line before the mark came', () => {
    const { doc, text } = plainLine(30);
    const server = new Y.Doc();
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
    const serverText = (server.getXmlFragment('note').get(0) as Y.XmlElement).get(0) as Y.XmlText;
    expect(formatKeysOf(serverText).size).toBe(0);
    const before = Y.encodeStateVector(doc);
    text.format(5, 10, { [OBSERVATION_MARK]: { id: 'obs-2' } });
    Y.applyUpdate(server, Y.encodeStateAsUpdate(doc, before));
    const sv = Y.encodeStateVector(doc);
    text.delete(7, 1);
    const ds = Y.decodeUpdate(Y.encodeStateAsUpdate(doc, sv)).ds;
    expect([...removedWords(server, ds, OBSERVATION_MARK).keys()]).toEqual(['obs-2']);
  });
});
