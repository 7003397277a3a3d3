import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { wrapIn } from '@tiptap/pm/commands';
import { TextSelection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { keepOfflineWords, type OfflineWords } from '../../client/collab/offlineWords';
import { CaretOnRemoteEdits } from '../../client/editor/caretOnRemoteEdits';
import { NOTE_FIELD } from '../../shared/ydoc/sessionDoc';
import { editAsEditor, positionOf, schema } from '../helpers/editorEdit';

/** A's editor on her copy of the note and B's copy, exchanging every update as the server relays them; `lines` written by `writer`. */
function pair(writer: 'a' | 'b', lines: string[]): { editor: Editor; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), CaretOnRemoteEdits.configure({ doc: a }), Collaboration.configure({ document: a, field: NOTE_FIELD })] });
  editAsEditor(writer === 'a' ? a : b, (s) => s.tr.replaceWith(0, s.doc.content.size, lines.map((l) => schema.nodes.paragraph!.create(null, [schema.text(l)]))));
  return { editor, b };
}

/**
 * A's editor on `a` (linked to B's copy `b` by the caller, as its network is), under B's line
 * "Session opened.", with "Ben keeps typin" typed in a line of A's own below it.
 */
function typingBelowHers(a: Y.Doc, b: Y.Doc, isOffline?: (id: Y.ID) => boolean): Editor {
  const e = new Editor({
    extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), CaretOnRemoteEdits.configure({ doc: a, ...(isOffline ? { isOffline } : {}) }), Collaboration.configure({ document: a, field: NOTE_FIELD })],
  });
  editAsEditor(b, (s) => s.tr.replaceWith(0, s.doc.content.size, [schema.nodes.paragraph!.create(null, [schema.text('Session opened.')])]));
  e.commands.setTextSelection(e.state.doc.content.size - 1);
  e.commands.splitBlock();
  e.commands.insertContent('Ben keeps typin');
  return e;
}

/** A's connection as the offline cases see it: whether it is gone, and B's updates held back meanwhile. */
type Net = { offline: boolean; fromB: Uint8Array[] };

/** B's updates reach `a` at once, or wait in `net.fromB` while A is offline. */
function linkFromB(a: Y.Doc, b: Y.Doc, net: Net): void {
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && (net.offline ? net.fromB.push(u) : Y.applyUpdate(a, u, 'remote')));
}

/**
 * A types the rest of her line with no connection while B quotes it; A reconnects to a server
 * holding `server`'s state, which sends B's quote before answering A's sync.
 */
function quotedWhileOffline(e: Editor, a: Y.Doc, b: Y.Doc, words: OfflineWords, net: Net, server: Y.Doc): void {
  net.offline = true;
  e.commands.insertContent('g these words');
  editAsEditor(b, (s) => quoteOf(s, 'keeps'));
  net.offline = false;
  words.connected();
  words.serverHas(Y.decodeStateVector(Y.encodeStateVector(server)));
  for (const u of net.fromB.splice(0)) Y.applyUpdate(a, u, 'remote');
  words.synced();
}

/** A's caret right after `words`. */
/**
 * Ben types "g these words" below her line while his updates to her copy are held back, as on a
 * network, and she quotes his line as her screen has it; then his updates arrive. Returns his
 * editor (also set as `editor`, for the cleanup) and her copy.
 */
function quotedAsITyped(): { e: Editor; b: Y.Doc } {
  const a = new Y.Doc();
  const b = new Y.Doc();
  let held: Uint8Array[] | null = null;
  a.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin === 'remote') return;
    if (held) held.push(u);
    else Y.applyUpdate(b, u, 'remote');
  });
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  const e = (editor = typingBelowHers(a, b));
  held = [];
  e.commands.insertContent('g these words');
  editAsEditor(b, (s) => quoteOf(s, 'keeps'));
  const late = held;
  held = null;
  for (const u of late) Y.applyUpdate(b, u, 'remote');
  return { e, b };
}

function caretAfter(e: Editor, words: string): void {
  e.view.dispatch(e.state.tr.setSelection(TextSelection.create(e.state.doc, positionOf(e.state.doc, words) + words.length)));
}

/** What A types lands where her caret is: the lines after she types "X". */
function typeX(e: Editor): string[] {
  e.commands.insertContent('X');
  return e.state.doc.content.content.map((line) => line.textContent);
}

/** Her editor's Quote on the line holding `words`, as a transaction. */
function quoteOf(state: EditorState, words: string): Transaction {
  const at = state.apply(state.tr.setSelection(TextSelection.create(state.doc, positionOf(state.doc, words))));
  let out: Transaction | null = null;
  wrapIn(schema.nodes.blockquote!)(at, (tr) => (out = tr));
  const tr = state.tr;
  for (const step of out!.steps) tr.step(step);
  return tr;
}

let editor: Editor | null = null;
afterEach(() => editor?.destroy());

// The co-therapist's split or join is written as the words deleted and copied: a caret after
// words that moved stayed where they had been, and the next letters typed went into the other
// half of the line (walk, 1 Dec).
describe('my caret when the co-therapist splits or joins the line it is in', () => {
  it.each(['a', 'b'] as const)('stays after its words when she splits the line before it (line written by %s)', (writer) => {
    const { editor: e, b } = pair(writer, ['Seems ready to try exposure work.']);
    caretAfter(e, 'work.');
    editAsEditor(b, (s) => s.tr.split(positionOf(s.doc, ' to try')));
    expect(typeX(e)).toEqual(['Seems ready', ' to try exposure work.X']);
  });

  it('stays after its words in the middle of a line she splits after it, and in a line she joins onto the one before', () => {
    const { editor: e, b } = pair('b', ['Slept badly.', 'Woke at four most nights.']);
    caretAfter(e, 'Woke at');
    editAsEditor(b, (s) => s.tr.split(positionOf(s.doc, ' most')));
    expect(typeX(e)).toEqual(['Slept badly.', 'Woke atX four', ' most nights.']);
    caretAfter(e, 'X four');
    editAsEditor(b, (s) => s.tr.join(positionOf(s.doc, 'Woke atX') - 1));
    expect(typeX(e)).toEqual(['Slept badly.Woke atX fourX', ' most nights.']);
  });

  it('stays in its line when she only deletes the letter before it, though another line ends in the same words', () => {
    const { editor: e, b } = pair('b', ['Mood calm.', 'Affect calm']);
    caretAfter(e, 'Affect calm');
    editAsEditor(b, (s) => s.tr.delete(positionOf(s.doc, 'Affect calm') + 'Affect cal'.length, positionOf(s.doc, 'Affect calm') + 'Affect calm'.length));
    expect(typeX(e)).toEqual(['Mood calm.', 'Affect calX']);
  });

  it('writes again after her copy the letters typed here that it lacks, when she quotes the line while I type', () => {
    const { e } = quotedAsITyped();
    expect(typeX(e)).toEqual(['Session opened.', 'Ben keeps typing these wordsX']);
    expect(e.state.doc.child(1).type.name).toBe('blockquote');
  });

  // Written by the caret while the binding renders her change, inside its lock: they stood on
  // the screen only, and her next keystroke, arriving before any of mine, took them off it.
  it('writes the letters her copy lacks into the note itself, before her next change arrives', async () => {
    const { e, b } = quotedAsITyped();
    await expect.poll(() => b.getXmlFragment(NOTE_FIELD).toString()).toContain('Ben keeps typing these words');
    editAsEditor(b, (s) => s.tr.insertText(' Good.', positionOf(s.doc, 'opened.') + 'opened.'.length));
    expect(e.state.doc.content.content.map((line) => line.textContent)).toEqual(['Session opened. Good.', 'Ben keeps typing these words']);
  });

  it('leaves letters typed offline to the connection, which writes them again once, in a line of their own', () => {
    // Both ways held while A is offline; on reconnect the server's copy (B's) arrives first.
    const a = new Y.Doc();
    const b = new Y.Doc();
    const net: Net = { offline: false, fromB: [] };
    const fromA: Uint8Array[] = [];
    a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && (net.offline ? fromA.push(u) : Y.applyUpdate(b, u, 'remote')));
    linkFromB(a, b, net);
    const kept: string[] = [];
    const words = keepOfflineWords(a, NOTE_FIELD, (tr) => tr.origin === 'remote', (lines) => kept.push(...lines));
    editor = typingBelowHers(a, b, words.isOffline);
    quotedWhileOffline(editor, a, b, words, net, b);
    for (const u of fromA.splice(0)) Y.applyUpdate(b, u, 'remote');
    expect(kept).toEqual(['g these words']);
    expect(editor.state.doc.content.content.map((line) => line.textContent)).toEqual(['Session opened.', 'Ben keeps typin', 'g these words']);
    expect(editor.state.doc.child(1).type.name).toBe('blockquote');
    words.stop();
  });

  it('leaves letters typed offline alone when another tab of the device sent (and kept) them first', () => {
    // Walk, 2 Dec: a second tab reloaded offline sent this tab's letters at reconnect and kept them;
    // this tab then found the server holding them, and its caret wrote them a second time.
    const a = new Y.Doc();
    const b = new Y.Doc();
    const net: Net = { offline: false, fromB: [] };
    a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && !net.offline && Y.applyUpdate(b, u, 'remote'));
    linkFromB(a, b, net);
    const words = keepOfflineWords(a, NOTE_FIELD, (tr) => tr.origin === 'remote', () => undefined);
    words.connected();
    words.serverHas(new Map());
    words.synced();
    editor = typingBelowHers(a, b, words.isOffline);
    words.disconnected();
    // The other tab: B's quote (made without them), then its kept line of them; the server holds them now (A's state).
    quotedWhileOffline(editor, a, b, words, net, a);
    expect(editor.state.doc.content.content.map((line) => line.textContent)).toEqual(['Session opened.', 'Ben keeps typin']);
    words.stop();
  });
});
