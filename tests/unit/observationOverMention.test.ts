import { describe, expect, it } from 'vitest';
import { updateYFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { resolveTarget } from '../../client/features/observations/heldTarget';
import { shortQuote } from '../../client/features/observations/observationModel';
import { readNote } from '../../shared/note/readNote';
import { NOTE_FIELD, OBSERVATION_MARK } from '../../shared/ydoc/sessionDoc';
import { clientSelection, schema, wholeLineOf } from '../helpers/clientAnchor';

/** A paragraph of text and mention chips, as the editor writes one. */
function noteWith(parts: (string | { member: string })[]): Y.Doc {
  const doc = new Y.Doc();
  const p = new Y.XmlElement('paragraph');
  doc.getXmlFragment(NOTE_FIELD).push([p]);
  p.insert(0, parts.map((x) => {
    if (typeof x === 'string') return new Y.XmlText(x);
    const m = new Y.XmlElement('mention');
    m.setAttribute('id', x.member);
    return m;
  }));
  return doc;
}

// Each note is one line, so the selection also starts at the note's very first position (where
// y-tiptap's own reading of a position used to refuse it).
describe('tagging a span that includes mention chips in an open (not blind) session', () => {
  for (const [name, parts, quote] of [
    ['at the start', [{ member: 'M1' }, ' looked at the floor when asked about work.'], '@M1 looked at the floor when asked about work.'],
    ['in the middle', ['Then ', { member: 'M2' }, ' nodded at him'], 'Then @M2 nodded at him'],
    ['at the end', ['Nobody answered ', { member: 'M2' }], 'Nobody answered @M2'],
  ] as const) {
    it(`marks the words around a chip ${name}, and the palette quotes the chip as @label`, () => {
      const doc = noteWith([...parts]);
      const words = String(parts.find((x) => typeof x === 'string')).trim();
      const { editor, held, meta } = clientSelection(doc, wholeLineOf(words));
      expect(held.kind === 'span' && shortQuote(held.text)).toBe(quote);
      const result = resolveTarget(editor, held);
      if (!('target' in result) || result.target.kind !== 'span') throw new Error(`not tagged: ${JSON.stringify(result)}`);
      // What `setMark` does to the editor's document, then written to the Y.Doc the way the sync plugin writes it.
      const { from, to } = result.target;
      const tr = editor.state.tr.addMark(from, to, schema.marks[OBSERVATION_MARK]!.create({ id: 'obs-1' }));
      doc.transact(() => updateYFragment(doc, doc.getXmlFragment(NOTE_FIELD), tr.doc, meta as never));
      const [paragraph] = readNote(doc.getXmlFragment(NOTE_FIELD));
      const texts = paragraph!.children.filter((c) => c.type === 'text').flatMap((c) => c.runs);
      expect(texts.map((r) => [r.text, r.marks[OBSERVATION_MARK]?.id])).toEqual(parts.filter((x) => typeof x === 'string').map((t) => [t, 'obs-1']));
      // The chip is still the same mention, nothing added to it.
      expect(paragraph!.children.filter((c) => c.type === 'mention').map((c) => c.attrs)).toEqual(parts.filter((x) => typeof x !== 'string').map((x) => ({ id: x.member })));
    });
  }
});
