import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deletedText } from '../../server/collab/deletedText';
import { readNote, type Block } from '../../shared/note/readNote';
import { struckIndex, type StruckWords } from '../../shared/note/struckWords';
import { deleteOnly } from '../helpers/craft';

/**
 * The server's half (deletedText, read before the update goes in) and the review's (readNote with
 * the struck words), on documents shaped as the editor writes them: each case deletes some of A's
 * words from B's copy, keeps what deletedText found as the server would, and reads the note back.
 */
function noteOfA(build: (note: Y.XmlFragment) => void): { server: Y.Doc; b: Y.Doc } {
  const a = new Y.Doc();
  a.clientID = 1;
  build(a.getXmlFragment('note'));
  const server = new Y.Doc();
  Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
  const b = new Y.Doc();
  b.clientID = 2;
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return { server, b };
}

/** B's change sent to the server: what deletedText finds, then applied and kept (as keepStruckWords does). */
function deleteAsB(server: Y.Doc, b: Y.Doc, change: (note: Y.XmlFragment) => void, update?: Uint8Array): StruckWords[] {
  const before = Y.encodeStateVector(b);
  b.transact(() => change(b.getXmlFragment('note')));
  const sent = update ?? Y.encodeStateAsUpdate(b, before);
  const runs = deletedText(server, Y.decodeUpdate(sent).ds);
  Y.applyUpdate(server, sent);
  return runs.filter((r) => r.earlier === 0).map(({ earlier: _, ...r }) => ({ by: 'B', at: 1, author: 'A', ...r }));
}

/** Blocks as text: struck words in ~~ ~~, each block's type and its children indented. */
function shape(blocks: Block[], depth = 0): string[] {
  return blocks.flatMap((b) => [
    `${'  '.repeat(depth)}${b.type}: ${b.runs.map((r) => (r.struck ? `~~${r.text}~~` : r.text)).join('')}`,
    ...shape(b.children, depth + 1),
  ]);
}

const paragraph = (...children: (Y.XmlText | Y.XmlElement)[]) => {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, children);
  return p;
};
const listItem = (text: string) => {
  const li = new Y.XmlElement('listItem');
  li.insert(0, [paragraph(new Y.XmlText(text))]);
  return li;
};

describe('struck words: what a deletion removed of another’s text, and where the review shows it', () => {
  it('shows a deleted list item in its place in the list, and a word deleted from another item inside its line', () => {
    const { server, b } = noteOfA((note) => {
      const list = new Y.XmlElement('bulletList');
      list.insert(0, [listItem('Slept badly.'), listItem('Ate little.'), listItem('Walked daily.')]);
      note.insert(0, [list]);
    });
    const kept = deleteAsB(server, b, (note) => {
      const list = note.get(0) as Y.XmlElement;
      list.delete(1, 1);
      (((list.get(1) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(6, 6);
    });
    expect(new Set(kept.map((k) => `${k.text} (${k.block === null ? 'in its line' : 'in a deleted block'})`))).toEqual(new Set(['Ate little. (in a deleted block)', ' daily (in its line)']));
    expect(shape(readNote(server.getXmlFragment('note'), struckIndex(kept)))).toEqual([
      'bulletList: ',
      '  listItem: ',
      '    paragraph: Slept badly.',
      '  listItem: ',
      '    paragraph: ~~Ate little.~~',
      '  listItem: ',
      '    paragraph: Walked~~ daily~~.',
    ]);
    // Without the struck words (the digest, member notes, quotes): the note as it now reads.
    expect(shape(readNote(server.getXmlFragment('note')))).toEqual(['bulletList: ', '  listItem: ', '    paragraph: Slept badly.', '  listItem: ', '    paragraph: Walked.']);
  });

  it('keeps the words of a text node deleted only by its own id, inside a line that stays (a hard break before it)', () => {
    const { server, b } = noteOfA((note) => {
      note.insert(0, [paragraph(new Y.XmlText('Quiet at first.'), new Y.XmlElement('hardBreak'), new Y.XmlText('Then tearful.'))]);
    });
    const textNode = (b.getXmlFragment('note').get(0) as Y.XmlElement).get(2) as Y.XmlText;
    const id = textNode._item!.id;
    // Only the text node's id: Yjs deletes its characters with it.
    const update = deleteOnly([{ client: id.client, clock: id.clock, len: 1 }]);
    const kept = deleteAsB(server, b, () => {}, update);
    expect(kept.map((k) => k.text)).toEqual(['Then tearful.']);
    const blocks = readNote(server.getXmlFragment('note'), struckIndex(kept));
    expect(blocks[0]!.children.map((c) => [c.type, c.runs.map((r) => (r.struck ? `~~${r.text}~~` : r.text)).join('')])).toEqual([
      ['text', 'Quiet at first.'],
      ['hardBreak', ''],
      ['text', '~~Then tearful.~~'],
    ]);
  });
});
