import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ObservationMark } from '../../client/editor/observationMark';
import { privateLineWords } from '../../client/features/blind/usePrivateMarks';
import { blindAnchor, holdCaret, holdTarget, privateAnchor } from '../../client/features/observations/heldTarget';
import { observationQuotes } from '../../client/features/observations/observationText';
import { openLineForTag } from '../../client/features/observations/writeObservation';
import { mergePrivate } from '../../server/learning/mergePrivate';
import type { Observation } from '../../shared/domain/observation';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';

const SENTENCE = 'JD left the room twice.';

/** A therapist's editor on a note whose second line is the co-therapist's sentence. */
function noteWithSentence() {
  const doc = new Y.Doc();
  const editor = new Editor({
    extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), ObservationMark, Collaboration.configure({ document: doc, field: NOTE_FIELD })],
    content: null,
  });
  editor.commands.setContent(`<p>Attendance</p><p>${SENTENCE}</p>`);
  let start = 0;
  editor.state.doc.forEach((node, offset) => {
    if (node.textContent === SENTENCE) start = offset + 1;
  });
  return { doc, editor, start };
}

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

// A walk (4 Dec, M5), through blind mode: a private line tag at the start of the co-therapist's
// sentence was revealed with the sentence, and what the therapist wrote before it, as its words.
describe('a private line tag at the start of a written line', () => {
  it('opens an empty line for it, so that at the reveal its words are what the therapist wrote there', () => {
    const { doc, editor, start } = noteWithSentence();
    editors.push(editor);
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, start)));

    expect(openLineForTag(editor, start)).toBe(true);
    const held = holdTarget(editor);
    expect(held?.kind).toBe('line');
    const anchor = blindAnchor(editor, held!);
    expect(anchor?.kind).toBe('line');
    editor.view.dispatch(editor.state.tr.insertText('Ask JD about it next week.'));

    const record: Observation = { id: 'obs-1', tags: ['follow-up'], authorId: 'a', createdAt: 0, kind: 'line', member: null, forCoTherapist: false };
    doc.transact(() => mergePrivate(doc, [{ record, anchor: anchor!, stamp: { at: 0, offsetMs: 0, late: false }, label: 'Follow-up — ' }]));

    const lines: string[] = [];
    editor.state.doc.forEach((node) => lines.push(node.textContent));
    expect(lines).toEqual(['Attendance', 'Follow-up — Ask JD about it next week.', SENTENCE]);
    expect(observationQuotes(editor.state.doc, () => true).get('obs-1')).toBe('Ask JD about it next week.');
  });

  it('leaves a line alone where the caret is not at its start, or nothing is written after it', () => {
    const { editor, start } = noteWithSentence();
    editors.push(editor);
    const before = editor.getJSON();
    expect(openLineForTag(editor, start + 3)).toBe(false);
    expect(openLineForTag(editor, start + SENTENCE.length)).toBe(false);
    expect(openLineForTag(editor, 1 + 'Attendance'.length)).toBe(false);
    expect(editor.getJSON()).toEqual(before);
  });
});

// A walk (6 Dec): the blind panel listed a private line tag as "Alliance/rupture · 00:05" and no
// words (the server has none for a line), so the therapist could not tell which line it was.
describe('the words of my private line tag, before the reveal', () => {
  it('are what I wrote after it on its line, as the note reads now', () => {
    const { editor, start } = noteWithSentence();
    editors.push(editor);
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, start)));
    openLineForTag(editor, start);
    const anchor = blindAnchor(editor, holdTarget(editor)!)!;
    const mine = { id: 'p-1', tags: [], member: null, forCoTherapist: false, kind: 'line' as const, quote: '', at: '2026-12-06T13:50:00.000Z', offset: '00:05', anchor };
    expect(privateLineWords(editor.state, mine)).toBe('');
    editor.view.dispatch(editor.state.tr.insertText('Rupture after my reflection on money.'));
    expect(privateLineWords(editor.state, mine)).toBe('Rupture after my reflection on money.');
    editor.commands.setHardBreak();
    editor.view.dispatch(editor.state.tr.insertText('Second line, not its words.'));
    expect(privateLineWords(editor.state, mine)).toBe('Rupture after my reflection on money.');
  });
});

// A walk (6 Dec, blind mode): B's caret in the middle of A's word "away" ("R turned awa|y when…"),
// B tagged a line privately and wrote on; at the reveal A's sentence read "R turned awa", B's
// words, then "y when…", and A's observation quoted "R turned awa". A tag in the open note puts
// its marker at the start of the word instead (insertMarker).
describe('a private line tag with the caret inside a word', () => {
  /** Tags privately at `caret` as the palette does, writes `words` there, and reveals. */
  function tagInside(caret: (start: number) => number, words: string) {
    const { doc, editor, start } = noteWithSentence();
    editors.push(editor);
    const at = caret(start);
    editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, at)));
    // The palette holds the word at such a caret (tagAtCaret.test.tsx); a line's place comes to be
    // inside a word when words are written there while the palette is open.
    const anchor = privateAnchor(editor, { kind: 'line', at }, { kind: 'line', at: holdCaret(editor)! })!;
    editor.view.dispatch(editor.state.tr.insertText(words));
    const record: Observation = { id: 'obs-1', tags: ['nonverbal'], authorId: 'b', createdAt: 0, kind: 'line', member: null, forCoTherapist: false };
    doc.transact(() => mergePrivate(doc, [{ record, anchor, stamp: { at: 0, offsetMs: 0, late: false }, label: 'Nonverbal — ' }]));
    const lines: string[] = [];
    editor.state.doc.forEach((node) => lines.push(node.textContent));
    return lines[1];
  }

  it.each([
    ['in the middle of "left"', (start: number) => start + 'JD le'.length, 'JD Nonverbal — Quiet. left the room twice.'],
    ['one letter into "room"', (start: number) => start + 'JD left the r'.length, 'JD left the Nonverbal — Quiet. room twice.'],
    ['before the last letter of "twice"', (start: number) => start + 'JD left the room twic'.length, 'JD left the room Nonverbal — Quiet. twice.'],
  ])('%s: goes before the word, which stays whole', (_where, caret, line) => {
    expect(tagInside(caret, 'Quiet. ')).toBe(line);
  });

  it('leaves the caret where it is between words', () => {
    expect(tagInside((start) => start + 'JD left '.length, 'Quiet. ')).toBe('JD left Nonverbal — Quiet. the room twice.');
  });
});
