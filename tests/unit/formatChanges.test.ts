import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { formatChanges, type FormatChange } from '../../server/collab/formatChanges';

/** A server's note with one line of A's words, and a client B holding the same. */
function setup(words: string, attrs?: Record<string, unknown>) {
  const server = new Y.Doc({ gc: false });
  const a = new Y.Doc();
  const line = new Y.XmlText();
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [line]);
  a.getXmlFragment('note').insert(0, [p]);
  line.insert(0, words, attrs ?? {});
  Y.applyUpdate(server, Y.encodeStateAsUpdate(a));
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(server));
  const lineOf = (doc: Y.Doc) => (doc.getXmlFragment('note').get(0) as Y.XmlElement).get(0) as Y.XmlText;
  /** What B's change does to the server's note, read as the apply stage reads it. */
  const apply = (change: (line: Y.XmlText, doc: Y.Doc) => void): FormatChange[] => {
    const before = Y.encodeStateVector(b);
    change(lineOf(b), b);
    const update = Y.encodeStateAsUpdate(b, before);
    let out: FormatChange[] = [];
    Y.transact(server, (tr) => {
      Y.applyUpdate(server, update);
      out = formatChanges(tr, [b.clientID], 'observation');
    }, 'client', false);
    return out;
  };
  return { server, b, apply, a };
}
const brief = (changes: FormatChange[]) => changes.map((c) => ({ text: c.text, mark: c.mark, value: c.value }));

describe('formatChanges: what a transaction did to the formatting of words already in the note', () => {
  it('finds a mark put on another’s words, and on only those of them it covers', () => {
    const { apply } = setup('Client is not at risk.');
    expect(brief(apply((line) => line.format(10, 4, { strike: {} })))).toEqual([{ text: 'not ', mark: 'strike', value: {} }]);
  });

  it('finds a mark taken off, however it is taken off: a format of null, or its format items deleted outright', () => {
    const off = setup('Denies any plan.', { bold: {} });
    expect(brief(off.apply((line) => line.format(0, 6, { bold: null })))).toEqual([{ text: 'Denies', mark: 'bold', value: null }]);
    // A crafted update deletes the line's format items outright.
    const crafted = setup('Denies any plan.', { bold: {} });
    expect(brief(crafted.apply((line, doc) => doc.transact((tr) => {
      for (let item = (line as unknown as { _start: Y.Item | null })._start; item; item = item.right) if (item.content instanceof Y.ContentFormat) item.delete(tr);
    })))).toEqual([{ text: 'Denies any plan.', mark: 'bold', value: null }]);
  });

  it('counts no new words, whatever marks they carry, and no mark put where it already was', () => {
    const { apply } = setup('Mood low', { italic: {} });
    expect(apply((line) => line.insert(8, ', sleep poor.', { bold: {}, strike: {} }))).toEqual([]);
    expect(apply((line) => line.format(0, 4, { italic: {} }))).toEqual([]);
  });

  it('compares a mark’s meaning: a link to another address is a change, the same address in another key order or with other attributes is not', () => {
    const { apply } = setup('see the plan', { link: { href: 'https://a.example/plan', target: null } });
    expect(apply((line) => line.format(0, 12, { link: { target: null, href: 'https://a.example/plan' } }))).toEqual([]);
    // An editor writes a link again with the attributes it fills in: the same address is the same link (attack8).
    expect(apply((line) => line.format(0, 12, { link: { href: 'https://a.example/plan', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null } }))).toEqual([]);
    expect(brief(apply((line) => line.format(0, 3, { link: { href: 'https://b.example/', target: null } })))).toEqual([
      { text: 'see', mark: 'link', value: { href: 'https://b.example/', target: null } },
    ]);
  });

  it('leaves the observation mark to its own guard', () => {
    const { apply } = setup('went very quiet');
    expect(apply((line) => line.format(0, 4, { observation: { id: '4f7c0f0e-2a4b-4b8e-9a57-3f1f3d2b6c11' } }))).toEqual([]);
  });
});
