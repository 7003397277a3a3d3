import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CommentView } from '../../shared/domain/review';
import { CommentsMargin } from '../../client/features/supervisor/CommentsMargin';
import { keys } from '../../client/query/keys';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const sessionId = '5b0f6f0e-2c1a-4c43-9d6e-6a1f3f7b2a10';

/** The margin over a query client; `comments` as the server answered, or none read (jsdom has no server: the read fails). */
function renderMargin(comments?: CommentView[]) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  if (comments) client.setQueryData(keys.session(sessionId, 'comments'), comments);
  render(
    <QueryClientProvider client={client}>
      <CommentsMargin sessionId={sessionId} me="me" canReply quoteOf={() => null} />
    </QueryClientProvider>,
  );
}

describe('CommentsMargin', () => {
  // A clinician walk (6 Dec): reloaded offline, the margin said "Comments 0" above "Could not load the comments".
  it('shows no count while the comments could not be read', async () => {
    renderMargin();
    await screen.findByText(/Could not load the comments/);
    expect(screen.queryByTestId('margin-comment-count')).toBeNull();
  });

  it('counts the comments once they are read', () => {
    renderMargin([]);
    expect(screen.getByTestId('margin-comment-count').textContent).toBe('0');
    expect(screen.getByText('No comments on this note yet.')).toBeTruthy();
  });
});
