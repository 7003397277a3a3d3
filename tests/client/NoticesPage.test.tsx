import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { NoticesView, NoticeView } from '../../shared/domain/supervisor';
import { NoticesPage } from '../../client/features/supervisor/NoticesPage';
import { FlashProvider } from '../../client/components/Flash';
import { keys } from '../../client/query/keys';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const notice = (over: Partial<NoticeView>): NoticeView => ({
  id: crypto.randomUUID(), kind: 'cosign_waiting', now: 'waiting', sessionId: '5b0f6f0e-2c1a-4c43-9d6e-6a1f3f7b2a10',
  sessionTitle: 'Friday group', actorName: 'Blair Therapist', text: 'What the server wrote.', path: '/sessions/5b0f6f0e-2c1a-4c43-9d6e-6a1f3f7b2a10/review',
  createdAt: '2026-11-30T14:05:00.000Z', read: true, ...over,
});

/** The page over an inbox as the server answered it (the query is fresh, so it is not asked again). */
function renderInbox(notices: NoticeView[]) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData<NoticesView>(keys.notices, { unread: notices.filter((n) => !n.read).length, notices });
  render(
    <QueryClientProvider client={client}>
      <FlashProvider>
        <NoticesPage />
      </FlashProvider>
    </QueryClientProvider>,
  );
  return screen.getAllByTestId('notice-label').map((label) => label.textContent);
}

describe('NoticesPage', () => {
  // A clinician walk: a notice still read "Co-signature waiting" after the supervisor had co-signed.
  it('labels a notice that asked for a signature or a co-signature by where the note stands now', () => {
    expect(renderInbox([
      notice({ now: 'cosigned' }),
      notice({ now: 'returned' }),
      notice({ now: 'waiting' }),
      notice({ kind: 'signature_waiting', now: 'signed' }),
      notice({ kind: 'signature_waiting', now: 'waiting' }),
      notice({ kind: 'cosigned', now: null }),
    ])).toEqual(['Co-signed', 'Returned', 'Co-signature waiting', 'Signed', 'Signature waiting', 'Co-signed']);
  });

  // Walk, 6 Dec: a flag's notice read "Flag for you" after A had answered it.
  it('labels the notice of an answered flag as answered, an open one as for you', () => {
    // One whose note was locked with it unanswered no longer asks (walk, 7 Dec).
    expect(renderInbox([notice({ kind: 'flag_answered', now: null }), notice({ kind: 'flag', now: null }), notice({ kind: 'flag_unanswered', now: null })])).toEqual(['Flag answered', 'Flag for you', 'Flag unanswered']);
  });

  it('labels what is left to lock a note no one press locks', () => {
    expect(renderInbox([notice({ kind: 'signatures_left', now: null }), notice({ kind: 'lock_waiting', now: null })])).toEqual(['Not locked yet', 'Ready to lock']);
  });
});
