import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import StarterKit from '@tiptap/starter-kit';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { LateEntries } from '../../client/editor/lateEntries';
import { ReviewNote } from '../../client/features/review/ReviewNote';
import { NOTE_FIELD, sessionDoc } from '../../shared/ydoc/sessionDoc';
import { ALEX as THEO, BLAIR as CARA, run, textBlock } from '../helpers/reviewFixture';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const AT_0901 = Date.parse('2026-12-03T09:01:00Z');
const AT_0903 = Date.parse('2026-12-03T09:03:00Z');
const label = (at: number) => `late entry, ${time.format(at)}`;

// A clinician walk, 3 Dec: Theo wrote a late sentence at 09:01 and Cara added words right after it
// at 09:03. The editor showed one late entry at 09:03, and the review labelled only Cara's words.
describe('two therapists’ late entries side by side', () => {
  it('are two entries in the live editor, each labelled with its own time', async () => {
    const theo = new Y.Doc();
    const cara = new Y.Doc();
    theo.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(cara, u, 'remote'));
    cara.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(theo, u, 'remote'));
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText('Written during the session.');
    paragraph.insert(0, [text]);
    theo.getXmlFragment(NOTE_FIELD).push([paragraph]);
    /** `writer` types `words` at the end of the paragraph after the end; the server labels them late at `at`. */
    const typeLate = (writer: Y.Doc, accountId: string, words: string, at: number) => {
      const clock = Y.getState(writer.store, writer.clientID);
      const mine = writer.getXmlFragment(NOTE_FIELD).get(0) as Y.XmlElement;
      const t = mine.get(0) as Y.XmlText;
      t.insert(t.length, words);
      sessionDoc(writer).lateEntries.set(`${writer.clientID}:${clock}`, { accountId, at, client: writer.clientID, clock, len: words.length });
    };
    typeLate(theo, THEO, ' Theo remembered this', AT_0901);
    typeLate(cara, CARA, ' and Cara added that', AT_0903);
    expect(text.toString()).toBe('Written during the session. Theo remembered this and Cara added that');

    const editor = new Editor({
      extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), Collaboration.configure({ document: theo, field: NOTE_FIELD }), LateEntries.configure({ doc: theo })],
    });
    try {
      const ends = () => Array.from(editor.view.dom.querySelectorAll('.late-entry--end'), (el) => ({ last: el.textContent, label: el.getAttribute('data-late-label') }));
      await expect.poll(ends, { timeout: 10_000 }).toEqual([
        { last: 's', label: label(AT_0901) },
        { last: 't', label: label(AT_0903) },
      ]);
    } finally {
      editor.destroy();
    }
  });

  // A walk (4 Dec): Ben's late sentence of 19:04 was relabelled 19:05 once he wrote more later elsewhere.
  it('keep each entry’s own time when its writer writes more later elsewhere', async () => {
    const doc = new Y.Doc();
    const paragraphs = ['First line.', 'Second line.'].map((words) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(words)]);
      return p;
    });
    doc.getXmlFragment(NOTE_FIELD).push(paragraphs);
    // The server labels them in a document of its own: the writer's characters follow on each other.
    const labels: [number, number, number][] = [];
    const typeLate = (index: number, words: string, at: number) => {
      labels.push([Y.getState(doc.store, doc.clientID), words.length, at]);
      const t = paragraphs[index]!.get(0) as Y.XmlText;
      t.insert(t.length, words);
    };
    typeLate(0, ' Late at nine', AT_0901);
    typeLate(1, ' and later', AT_0903);
    const writer = doc.clientID;
    doc.clientID = writer + 1;
    for (const [clock, len, at] of labels) sessionDoc(doc).lateEntries.set(`${writer}:${clock}`, { accountId: THEO, at, client: writer, clock, len });
    const editor = new Editor({
      extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false }), Collaboration.configure({ document: doc, field: NOTE_FIELD }), LateEntries.configure({ doc })],
    });
    try {
      const ends = () => Array.from(editor.view.dom.querySelectorAll('.late-entry--end'), (el) => el.getAttribute('data-late-label'));
      await expect.poll(ends, { timeout: 10_000 }).toEqual([label(AT_0901), label(AT_0903)]);
    } finally {
      editor.destroy();
    }
  });

  it('are two entries in the supervisor’s review, each labelled after its own words with its own time', () => {
    const iso = (at: number) => new Date(at).toISOString();
    const blocks = [
      textBlock('paragraph', [
        run('Written during the session.', { authorId: THEO }),
        // One late sentence arrives as many runs (the server labels each keystroke).
        run(' Theo remembered', { authorId: THEO, lateAt: iso(AT_0901) }),
        run(' this', { authorId: THEO, lateAt: iso(AT_0901 + 20_000) }),
        run(' and Cara added that', { authorId: CARA, lateAt: iso(AT_0903) }),
      ]),
    ];
    const look = { authors: new Map([[THEO, { name: 'Theo Thorne', color: '#1f6feb' }], [CARA, { name: 'Cara Cole', color: '#b35900' }]]), observationColor: new Map(), focusedObservation: null, lineWords: new Map(), authorTurns: new Set<never>() };
    render(<ReviewNote blocks={blocks} passages={[]} look={look} />);
    const labels = screen.getAllByTestId('late-label');
    // Each names its writer, as the exports do (walk, 6 Dec: on screen only the colour said whose).
    expect(labels.map((l) => l.textContent)).toEqual([`late entry by Theo Thorne, ${time.format(AT_0901 + 20_000)}`, `late entry by Cara Cole, ${time.format(AT_0903)}`]);
    expect(labels[0]!.previousElementSibling?.textContent).toBe(' this');
    expect(labels[1]!.previousElementSibling?.textContent).toBe(' and Cara added that');
  });
});
