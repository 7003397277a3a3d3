import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { NoteLink } from '../../client/editor/safeLinks';
import { markProblem } from '../../shared/note/noteSchema';

let editor: Editor | null = null;
afterEach(() => editor?.destroy());

/** jsdom has no ClipboardEvent, which ProseMirror makes when it is not given one. */
const paste = (e: Editor, html: string) => e.view.pasteHTML(html, new Event('paste') as ClipboardEvent);

// A link's class and title could make a therapist's words look like an observation or a late
// entry, with a tooltip naming the co-therapist (attack, 3 Dec); the server refuses them, so a
// pasted link must arrive without them or the paste would be refused whole.
describe('a link pasted from a web page', () => {
  it('keeps its address and text, drops class and title, and passes the server’s schema', () => {
    editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false, link: false }), NoteLink] });
    paste(editor, '<p>see <a href="https://example.org/plan" class="observation late-entry" title="Late entry by Dr B">the plan</a></p>');
    const text = editor.state.doc.firstChild?.child(1);
    const link = text?.marks.find((m) => m.type.name === 'link');
    expect(text?.text).toBe('the plan');
    expect(link?.attrs).toEqual({ href: 'https://example.org/plan', target: '_blank', rel: 'noopener noreferrer nofollow', class: null, title: null });
    expect(markProblem('link', link?.attrs)).toBeNull();
    const rendered = editor.view.dom.querySelector('a');
    expect(rendered?.getAttribute('class')).toBeNull();
    expect(rendered?.getAttribute('title')).toBeNull();
  });

  it('is refused by the server’s schema with a class or a title', () => {
    expect(markProblem('link', { href: 'https://example.org', class: 'observation' })).not.toBeNull();
    expect(markProblem('link', { href: 'https://example.org', title: 'Late entry by Dr B' })).not.toBeNull();
  });
});

// Walk, 6 Dec: "directly.No" (a full stop without its space) became a link to directly.no.
describe('words typed in the note', () => {
  it('become a link only when written as an address', () => {
    editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false, link: false }), NoteLink] });
    const e = editor;
    for (const words of ['Discussed directly.No ', 'plan at www.example.org ', 'and https://example.org/plan ']) e.commands.insertContent(words);
    const linked: string[] = [];
    e.state.doc.descendants((node) => {
      if (node.isText && node.marks.some((m) => m.type.name === 'link')) linked.push(node.text ?? '');
    });
    expect(e.state.doc.textContent).toBe('Discussed directly.No plan at www.example.org and https://example.org/plan ');
    expect(linked).toEqual(['www.example.org', 'https://example.org/plan']);
  });
});
