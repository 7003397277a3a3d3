import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { Slice, type Node as PmNode } from '@tiptap/pm/model';
import { prosemirrorToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { sliceBytes } from '../../client/editor/tooLargeEdits';
import { memberMention } from '../../client/editor/memberMention';
import { ObservationMark } from '../../client/editor/observationMark';

const schema = getSchema([StarterKit.configure({ undoRedo: false, trailingNode: false, link: false }), ObservationMark, memberMention(() => [])]);
const lines = (n: number, line: (i: number) => object[]) => Array.from({ length: n }, (_, i) => ({ type: 'paragraph', content: line(i) }));
const text = (t: string, marks: object[] = []) => ({ type: 'text', text: t, marks });

/** Pastes as they come: a copied handout, a list of names, formatted minutes, a list, an outline, other scripts. */
const pastes: Record<string, object[]> = {
  'long lines': lines(40, (i) => [text(`Line ${i} ${'of a long handout on sleep. '.repeat(20)}`)]),
  'short lines': lines(2000, (i) => [text(`L${i}`)]),
  marks: lines(500, () => [text('bold ', [{ type: 'bold' }]), text('plain '), text('it', [{ type: 'italic' }])]),
  list: [{ type: 'bulletList', content: Array.from({ length: 800 }, (_, i) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [text(`item ${i}`)] }] })) }],
  headings: Array.from({ length: 1000 }, (_, i) => ({ type: 'heading', attrs: { level: 2 }, content: [text(`H${i}`)] })),
  scripts: lines(50, () => [text('Привет мир 你好世界 🙂 '.repeat(30))]),
};

/**
 * The Yjs update that writes `doc`'s content into an empty note, as y-prosemirror writes it, by a
 * client with id `clientID` (random in a browser; its size as a varint, 1 to 5 bytes, is in every
 * item's origins: the stress pass of CI, 5 Dec, drew a small one).
 */
function updateBytes(doc: PmNode, clientID: number): number {
  const ydoc = new Y.Doc();
  ydoc.clientID = clientID;
  prosemirrorToYXmlFragment(doc, ydoc.getXmlFragment('note'));
  return Y.encodeStateAsUpdate(ydoc).byteLength;
}

/**
 * The largest Yjs client id (five bytes as a varint, as nearly every random 32-bit id is: 15 in 16
 * are at least 2^28) and the smallest (one byte).
 */
const LARGEST_ID = 2 ** 32 - 1;
const SMALLEST_ID = 1;

// The editor refuses a change its estimate puts over the server's limit; one it puts under the
// limit that is over it is taken out after the fact, losing the words it replaced (walk, 5 Dec).
describe('the editor’s estimate of a change’s Yjs update', () => {
  it.each(Object.keys(pastes))('is at least the update for a paste of %s, and within 70 % of it for a five-byte client id', (name) => {
    const doc = schema.nodeFromJSON({ type: 'doc', content: pastes[name] });
    const estimate = sliceBytes(new Slice(doc.content, 0, 0));
    const [most, least] = [updateBytes(doc, LARGEST_ID), updateBytes(doc, SMALLEST_ID)];
    console.log(`[figures] ${name}: estimate ${estimate} B, update ${least}–${most} B, ${(estimate / most).toFixed(2)}–${(estimate / least).toFixed(2)}×`);
    expect(estimate).toBeGreaterThanOrEqual(most);
    expect(estimate).toBeLessThanOrEqual(most * 1.7);
  });
});
