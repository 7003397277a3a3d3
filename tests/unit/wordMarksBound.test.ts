import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MAX_STEPS } from '../../server/collab/wordMarks';
import { OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';
import { readDeletion } from '../helpers/deletionReading';

/** A line whose letters alternate bold and plain (two pieces a letter), `letters` long, all under an observation. */
function piecedLine(letters: number): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  doc.getXmlFragment('note').push([p]);
  const text = new Y.XmlText();
  p.insert(0, [text]);
  doc.transact(() => {
    text.insert(0, 'a'.repeat(letters));
    for (let i = 0; i < letters; i += 2) text.format(i, 1, { bold: {} });
    text.format(0, letters, { [OBSERVATION_MARK]: { id: 'obs-1' } });
  });
  return { doc, text };
}

// Attack, 2 Dec: one deletion read its whole line to find the look and the observation in force at
// the deleted letter: 350 ms a letter in a line of 400,000 pieces. Past a bound of items read they
// are not known, and what depends on them falls back to the safe side (no move, no undo under it).
describe('reading the look of a deleted letter in a line of many pieces', () => {
  it('reads it near the line’s start, and past the bound says it is not known', () => {
    const { doc, text } = piecedLine(MAX_STEPS);
    const near = readDeletion(doc, text, 1);
    expect(near.look).not.toBeNull();
    expect(near.underObservation).toEqual(['obs-1']);
    const far = readDeletion(doc, text, text.length - 1);
    expect(far.look).toBeNull();
    expect(far.underObservation).toEqual([]);
  });
});
