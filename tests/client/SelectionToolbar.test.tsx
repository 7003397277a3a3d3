import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TextSelection } from '@tiptap/pm/state';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ObservationMark } from '../../client/editor/observationMark';
import { SelectionToolbar } from '../../client/features/observations/SelectionToolbar';

const FLAGGED = 'Father looked at his phone.';

/** A phone: a coarse pointer. jsdom lays nothing out: every box is at the window's top left. */
beforeEach(() => {
  vi.stubGlobal('matchMedia', (query: string) => ({ matches: true, media: query, addEventListener() {}, removeEventListener() {} }));
  const box = { top: 0, bottom: 0, left: 0, right: 0, width: 0, height: 0, x: 0, y: 0 };
  Object.assign(Range.prototype, { getClientRects: () => [box], getBoundingClientRect: () => box });
});
const editors: Editor[] = [];
afterEach(() => {
  cleanup();
  for (const e of editors.splice(0)) e.destroy();
  vi.unstubAllGlobals();
});

/** The co-therapist's flagged words (observation "flag-1") and my own line after them; the toolbar as the session page shows it. */
function page() {
  const editor = new Editor({ element: document.body.appendChild(document.createElement('div')), extensions: [StarterKit, ObservationMark] });
  editors.push(editor);
  editor.commands.setContent(`<p><span data-observation="flag-1">${FLAGGED}</span></p><p>My own words.</p>`);
  const answered: string[] = [];
  const tagged: string[] = [];
  render(
    <SelectionToolbar
      editor={editor}
      coTherapistName="Dev Patel"
      hidden={false}
      flagsForMe={['flag-1']}
      onTag={() => tagged.push('tag')}
      onFlag={() => tagged.push('flag')}
      onAcknowledge={(id) => answered.push(`missed ${id}`)}
      onDispute={(id) => answered.push(`saw ${id}`)}
    />,
  );
  const select = (from: number, to: number) =>
    act(() => {
      editor.view.dom.focus();
      editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, from, to)));
    });
  return { editor, answered, tagged, select };
}

const buttons = () => screen.getByTestId('selection-toolbar').querySelectorAll('button');

// A walk (6 Dec, phone): the flag counter selected the co-therapist's flagged words and said
// "Alt+M “I missed that”, Alt+S “I saw it”"; the bar by the words offered Tag and Flag, and the
// answers were below the whole note.
describe('SelectionToolbar on a touch screen', () => {
  it('offers the answers by the words of a flag for me', () => {
    const { answered, select } = page();
    select(1, 1 + FLAGGED.length);
    expect([...buttons()].map((b) => b.textContent)).toEqual(['I missed that', 'I saw it…']);
    fireEvent.click(screen.getByTestId('selection-acknowledge'));
    fireEvent.click(screen.getByTestId('selection-dispute'));
    expect(answered).toEqual(['missed flag-1', 'saw flag-1']);
  });

  it('offers Tag and Flag on other words', () => {
    const { tagged, select } = page();
    const second = FLAGGED.length + 3;
    select(second, second + 'My own'.length);
    expect([...buttons()].map((b) => b.textContent)).toEqual(['Tag…', 'Flag for Dev Patel…']);
    fireEvent.click(screen.getByTestId('selection-tag'));
    expect(tagged).toEqual(['tag']);
  });
});
