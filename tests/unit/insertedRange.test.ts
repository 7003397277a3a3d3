import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteInserted, insertedRecordWords, insertedText } from '../../client/collab/insertedRange';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';

/** Runs `change` as one transaction and returns the clock range it inserted under the doc's client. */
function rangeOf(doc: Y.Doc, change: () => void): [number, number] {
  const before = Y.getState(doc.store, doc.clientID);
  doc.transact(change);
  return [before, Y.getState(doc.store, doc.clientID)];
}

describe('what one change inserted', () => {
  it('is read and taken out even where Yjs merged it with the text typed before it', () => {
    const doc = new Y.Doc();
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    doc.getXmlFragment('note').push([paragraph]);
    paragraph.push([text]);
    text.insert(0, 'typed before ');
    const [from, to] = rangeOf(doc, () => text.insert(text.length, 'the paste'));
    text.insert(text.length, ' and after');
    expect(insertedText(doc, doc.clientID, from, to)).toBe('the paste');

    doc.transact((tr) => deleteInserted(tr, doc.clientID, from, to));
    expect(text.toString()).toBe('typed before  and after');
  });

  it('takes out whole paragraphs, with their text, and leaves placeholders without content', () => {
    const doc = new Y.Doc();
    const note = doc.getXmlFragment('note');
    const [from, to] = rangeOf(doc, () => {
      for (const line of ['one', 'two']) {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText(line.repeat(1000))]);
        note.push([p]);
      }
    });
    expect(insertedText(doc, doc.clientID, from, to)).toBe(`${'one'.repeat(1000)}\n${'two'.repeat(1000)}`);
    const sizeBefore = Y.encodeStateAsUpdate(doc).byteLength;
    doc.transact((tr) => deleteInserted(tr, doc.clientID, from, to));
    expect(note.length).toBe(0);
    expect(Y.encodeStateAsUpdate(doc).byteLength).toBeLessThan(sizeBefore / 10);
  });

  it('is empty for a client with no items, or none from `from` on, as for a device id with nothing unsaved', () => {
    // A reload reads every id of the device: an earlier page's, all saved, or this page's before it typed (attack, 5 Dec).
    const doc = new Y.Doc();
    const text = new Y.XmlText();
    doc.getXmlFragment('note').push([text]);
    text.insert(0, 'saved');
    const state = Y.getState(doc.store, doc.clientID);
    expect(insertedText(doc, doc.clientID, state, state)).toBe('');
    expect(insertedText(doc, doc.clientID, 0, state)).toBe('saved');
    expect(insertedText(doc, 12345, 0, 10)).toBe('');
    expect(insertedText(doc, doc.clientID, 3, 2)).toBe('');
  });
});


const ALEX = '4e371010-a65f-45ac-93b5-58150d7dddcf';
const BLAIR = '0507a39b-725f-4794-8e3c-f758da96a2f0';

// A risk save made offline kept the co-therapist's assessment in her name beside a new plan; she had
// changed her assessment meanwhile, so the server refused the save, and the reload that followed
// dropped the plan unseen: a record is no text of the note (5 Dec).
describe('the words of the records one client wrote', () => {
  it('are its own parts of risk records and the notes of its answers, labelled, for what still stands in the range', () => {
    const doc = new Y.Doc();
    const { risk, responses } = sessionDoc(doc);
    risk.set('M1', { assessment: 'Saved before: low.', plan: '', by: ALEX, at: 1 });
    const from = Y.getState(doc.store, doc.clientID);
    risk.set('M2', { assessment: 'Blair: low risk.', assessmentBy: BLAIR, plan: 'Alex: call on Thursday.', planBy: ALEX, by: ALEX, at: 2 });
    risk.set('M3', { assessment: 'First draft.', plan: '', by: ALEX, at: 3 });
    risk.set('M3', { assessment: 'Second draft, the one that stands.', plan: '', by: ALEX, at: 4 });
    responses.set('o1', { by: ALEX, at: 5, answer: 'disputed', note: 'I saw it: she looked away.' });
    responses.set('o2', { by: ALEX, at: 6, answer: 'acknowledged', note: null });
    const to = Y.getState(doc.store, doc.clientID);

    expect(insertedRecordWords(doc, doc.clientID, from, to)).toEqual([
      'Safety plan for M2: Alex: call on Thursday.',
      'Risk assessment for M3: Second draft, the one that stands.',
      'Note of your answer to a flag: I saw it: she looked away.',
    ]);
    expect(insertedRecordWords(doc, doc.clientID, to, to)).toEqual([]);
    expect(insertedRecordWords(doc, 12345, 0, 10)).toEqual([]);
  });
});
