import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EditorToolbar } from '../../client/editor/toolbar/EditorToolbar';

let editor: Editor | null = null;
afterEach(() => {
  cleanup();
  editor?.destroy();
});

// Walk, 6 Dec: Quote on a list item did nothing, and said nothing.
describe('the Quote button', () => {
  it('says on a list item that it cannot be a quote, and changes nothing; on a paragraph it quotes', () => {
    const e = (editor = new Editor({ extensions: [StarterKit.configure({ undoRedo: false, trailingNode: false })], content: '<ul><li><p>Slept badly</p></li></ul><p>Mood low</p>' }));
    render(<EditorToolbar editor={e} />);
    const quote = screen.getByTestId('toolbar-blockquote');
    act(() => void e.commands.setTextSelection(3));
    expect(quote.getAttribute('aria-disabled')).toBe('true');
    expect(quote.title).toBe('A list item cannot be a quote: take it out of the list first');
    const before = e.getHTML();
    fireEvent.click(quote);
    expect(e.getHTML()).toBe(before);
    act(() => void e.commands.setTextSelection(e.state.doc.content.size - 2));
    expect(quote.getAttribute('aria-disabled')).toBe('false');
    expect(quote.title).toMatch(/^Quote \(/);
    fireEvent.click(quote);
    expect(e.getHTML()).toContain('<blockquote><p>Mood low</p></blockquote>');
  });
});
