import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createRef } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SelectionCommentBar } from '../../client/features/review/SelectionCommentBar';

const created: unknown[] = [];
vi.mock('../../client/api/review', () => ({
  createComment: vi.fn(async (_sessionId: string, anchor: unknown, body: string) => {
    created.push({ anchor, body });
  }),
}));

afterEach(cleanup);

/** A rendered note as the review draws it: each run carries the Yjs id of its first character. */
function Note({ noteRef }: { noteRef: React.RefObject<HTMLDivElement | null> }) {
  return (
    <div ref={noteRef} data-testid="review-note">
      <h2><span data-client="7" data-clock="0">Themes</span></h2>
      <p><span data-client="7" data-clock="10">M1 spoke first </span><span data-client="9" data-clock="3">and M2 listened.</span></p>
      <p />
      <p><span data-client="9" data-clock="40">JD left early.</span></p>
    </div>
  );
}

describe('SelectionCommentBar', () => {
  // Walk, 6 Dec: a comment on a passage could only be started by selecting words with a mouse.
  it('lets a supervisor comment on a whole line from the keyboard, anchored to its first and last characters', async () => {
    const noteRef = createRef<HTMLDivElement>();
    render(
      <QueryClientProvider client={new QueryClient()}>
        <Note noteRef={noteRef} />
        <SelectionCommentBar sessionId="5e55e55e-0000-4000-8000-000000000001" noteRef={noteRef} onCommented={() => undefined} />
      </QueryClientProvider>,
    );
    const picker = screen.getByTestId('comment-line-picker') as HTMLSelectElement;
    fireEvent.focus(picker);
    // The lines holding words, in order; the empty paragraph is not offered.
    expect(Array.from(picker.options).slice(1).map((o) => o.textContent)).toEqual(['Themes', 'M1 spoke first and M2 listened.', 'JD left early.']);
    fireEvent.change(picker, { target: { value: '2' } });
    expect(screen.getByText('Selected: “JD left early.”')).toBeTruthy();
    // The list shows the line chosen, so the arrow keys go on from it (it went back to the top after each).
    expect(picker.value).toBe('2');
    fireEvent.change(picker, { target: { value: '1' } });
    expect(screen.getByText('Selected: “M1 spoke first and M2 listened.”')).toBeTruthy();
    fireEvent.click(screen.getByTestId('comment-on-selection'));
    fireEvent.change(screen.getByTestId('comment-input'), { target: { value: 'Good noticing.' } });
    fireEvent.click(screen.getByTestId('comment-submit'));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(created[0]).toEqual({
      anchor: { type: 'passage', start: { client: 7, clock: 10 }, end: { client: 9, clock: 18 }, quote: 'M1 spoke first and M2 listened.' },
      body: 'Good noticing.',
    });
  });
});
