import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ObservationMark } from '../../client/editor/observationMark';
import { useObservationQuotes } from '../../client/features/observations/useObservationQuotes';
import type { NoteObservations } from '../../client/features/observations/useNoteObservations';

// No tagged lines here: every observation is a span, quoted as the words its mark covers.
const spansOnly: NoteObservations = { observations: [], receivedAt: new Map(), byId: new Map(), responses: new Map(), extents: new Map() };

function noteEditor(): Editor {
  return new Editor({
    extensions: [StarterKit, ObservationMark],
    content: {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Opened with ' },
            { type: 'text', text: 'silence at first', marks: [{ type: 'observation', attrs: { id: 'o1' } }] },
            { type: 'text', text: ', then talked.' },
          ],
        },
      ],
    },
  });
}

/** Shows the quote of `o1` and how many times it rendered. */
function Quote({ editor, renders }: { editor: Editor; renders: { count: number } }) {
  const quotes = useObservationQuotes(editor, spansOnly);
  renders.count++;
  return <p data-testid="quote">{quotes.get('o1') ?? 'none'}</p>;
}

let editor: Editor | null = null;
// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(() => {
  cleanup();
  editor?.destroy();
});

describe('useObservationQuotes', () => {
  it('quotes the words an observation covers and follows edits inside them', () => {
    editor = noteEditor();
    const renders = { count: 0 };
    render(<Quote editor={editor} renders={renders} />);
    expect(screen.getByTestId('quote').textContent).toBe('silence at first');

    // Within the covered words (typing at either end of a span is outside it: the mark is not inclusive).
    const inside = editor.state.doc.textContent.indexOf('at first') + 1;
    act(() => void editor!.commands.insertContentAt(inside, 'almost '));
    expect(screen.getByTestId('quote').textContent).toBe('silence almost at first');
  });

  it('does not re-render while the typing leaves every quote as it was', () => {
    editor = noteEditor();
    const renders = { count: 0 };
    render(<Quote editor={editor} renders={renders} />);
    const before = renders.count;
    act(() => {
      for (const key of ' She left early.') editor!.commands.insertContentAt(editor!.state.doc.content.size - 1, key);
    });
    expect(editor.state.doc.textContent).toContain('then talked. She left early.');
    expect(renders.count).toBe(before);
  });
});
