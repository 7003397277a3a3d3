import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/domain/session';
import { LiveNow } from '../../client/features/sessions/LiveNow';
import { keys } from '../../client/query/keys';

afterEach(cleanup);

const session = (over: Partial<SessionView>): SessionView => ({
  id: crypto.randomUUID(), title: 'Session', kind: 'individual', status: 'scheduled', scheduledAt: null,
  date: '2026-12-06T18:00:00.000Z', createdAt: '2026-12-06T17:00:00.000Z', createdBy: '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01', startedAt: null, endedAt: null,
  groupMembers: [], groupSessionId: null, processNoteOf: null, myRole: 'therapist', members: [], ...over,
});

/** The home page's part over the sessions as the server listed them (fresh: not asked again). */
function renderHome(sessions: SessionView[]) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(keys.sessions({}), sessions);
  render(
    <QueryClientProvider client={client}>
      <LiveNow />
    </QueryClientProvider>,
  );
}

// A walk (6 Dec, shot 46): a therapist opened the app during her session; "My notes" listed the
// notes waiting for a signature, and the live session was only down in All sessions.
describe('LiveNow', () => {
  it('lists the sessions running now, each a link to its note, and nothing else', () => {
    const live = session({ title: 'Individual, R. week 3', status: 'live', startedAt: '2026-12-06T18:53:00.000Z' });
    renderHome([
      session({ title: 'Tuesday group, week 6', kind: 'group', status: 'signed' }),
      live,
      session({ title: 'Next week', status: 'scheduled' }),
      session({ title: 'Process notes — Individual, R. week 3', status: 'live', processNoteOf: live.id }),
    ]);
    const links = screen.getAllByTestId('live-now-link');
    expect(links.map((l) => l.textContent)).toEqual(['Individual, R. week 3']);
    expect(links[0]!.getAttribute('href')).toBe(`/sessions/${live.id}`);
  });

  it('takes no room when no session is live', () => {
    renderHome([session({ status: 'ended' })]);
    expect(screen.queryByTestId('live-now')).toBeNull();
  });
});
