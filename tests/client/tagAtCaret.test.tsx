import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ObservationMark } from '../../client/editor/observationMark';
import { holdTarget, resolveTarget } from '../../client/features/observations/heldTarget';
import { observationQuotes } from '../../client/features/observations/observationText';
import { applyObservation } from '../../client/features/observations/writeObservation';
import { NOTE_FIELD, sessionDoc } from '../../shared/ydoc/sessionDoc';

const LINE = 'JD was quiet when M2 spoke.';

const editors: Editor[] = [];
afterEach(() => {
  for (const e of editors.splice(0)) e.destroy();
});

/** A therapist's editor on a note whose second paragraph is `html`; returns where its text starts. */
function note(html: string) {
  const doc = new Y.Doc();
  const editor = new Editor({
    extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), ObservationMark, Collaboration.configure({ document: doc, field: NOTE_FIELD })],
    content: null,
  });
  editors.push(editor);
  editor.commands.setContent(`<p>Themes</p><p>${html}</p>`);
  const start = 1 + editor.state.doc.child(0).nodeSize;
  return { doc, editor, start };
}

/** Tags where the editor's caret is, as Ctrl+K then Enter does. */
function tagHere(editor: Editor, doc: Y.Doc) {
  const held = holdTarget(editor)!;
  const result = resolveTarget(editor, held);
  if (!('target' in result)) throw new Error(result.problem);
  return { held, record: applyObservation(editor, doc, { authorId: 'a', tags: [{ id: 'nonverbal', name: 'Nonverbal' }], member: null, forCoTherapist: false }, result.target) };
}

/** Puts the caret `offset` characters into the second paragraph and tags there. */
function tagAt(offset: number, html = LINE) {
  const { doc, editor, start } = note(html);
  editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, start + offset)));
  const { held, record } = tagHere(editor, doc);
  const isLine = (id: string) => sessionDoc(doc).observations.get(id)?.kind === 'line';
  return { held, record, quote: observationQuotes(editor.state.doc, isLine).get(record.id), text: editor.state.doc.child(1).textContent };
}

// A walk (6 Dec): with the caret in "quiet", the tag took "quiet when M2 spoke." (the rest of the
// line, words already written) while the palette said "Tag what you write next".
describe('a tag with nothing selected, in the middle of written words', () => {
  it.each([
    ['inside a word', 'JD was q'.length, 'quiet'],
    ['at the end of a word', 'JD was quiet'.length, 'quiet'],
    ['at the start of a word', 'JD was '.length, 'quiet'],
    ['before a dash between words', 'JD was quiet '.length, 'when', 'JD was quiet — when M2 spoke.'],
    ['after a word’s full stop', 'JD was quiet.'.length, 'quiet', 'JD was quiet. Then M2 spoke.'],
  ])('tags the word at the cursor (%s) and leaves the line as written', (_, offset, word, line = LINE) => {
    const { held, record, quote, text } = tagAt(offset, line);
    expect(held).toMatchObject({ kind: 'span', text: word, atCaret: true });
    expect(record.kind).toBe('span');
    expect(quote).toBe(word);
    expect(text).toBe(line);
  });

  it('keeps a word’s apostrophe and hyphen', () => {
    expect(tagAt('M2 didn'.length, "M2 didn't mention self-harm today.").quote).toBe("didn't");
    expect(tagAt('M2 didn’t mention self'.length, 'M2 didn’t mention self-harm today.').quote).toBe('self-harm');
  });

  it('starts a tagged line after the paragraph when the word at the cursor is tagged already, as a tagged selection does', () => {
    const { doc, editor, start } = note(LINE);
    const caretAt = (offset: number) => editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, start + offset)));
    caretAt('JD was q'.length);
    tagHere(editor, doc);
    caretAt('JD was qu'.length);
    expect(holdTarget(editor)?.kind).toBe('lineAfter');
  });

  it('is still a tagged line of what is written next at the end of the words, and a line of its own at their start', () => {
    const end = tagAt(LINE.length);
    expect(end.held.kind).toBe('line');
    expect(end.text).toBe(`${LINE} Nonverbal — `);
    expect(end.quote).toBe('');
    const start = tagAt(0);
    expect(start.held.kind).toBe('line');
    expect(start.text).toBe('Nonverbal — ');
  });
});
