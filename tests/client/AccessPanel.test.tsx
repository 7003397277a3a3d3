import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NoteAccessView } from '../../shared/domain/audit';
import { ACCESS_POLL_MS, AccessPanel } from '../../client/features/sessions/AccessPanel';

// The panel's one request, answered as the server would at each ask: who has read the note so far.
const answers: NoteAccessView[][] = [];
vi.mock('../../client/api/sessions', () => ({ fetchNoteAccess: vi.fn(async () => answers.shift() ?? []) }));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const read = (name: string, reads: number): NoteAccessView => ({
  accountId: `${name.toLowerCase()}-0000-4000-8000-000000000000`, name, role: 'therapist', reads, firstAt: '2026-12-04T10:00:00.000Z', lastAt: '2026-12-04T10:05:00.000Z', ways: ['live'],
});

describe('AccessPanel', () => {
  it('shows a read made since the page opened without asking for Refresh', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    answers.push([read('Alex', 1)], [read('Alex', 1), read('Sam', 1)]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(<QueryClientProvider client={client}><AccessPanel sessionId="5e55e55e-0000-4000-8000-000000000001" /></QueryClientProvider>);
    expect(await screen.findByText('Alex')).toBeTruthy();
    expect(screen.queryByText('Sam')).toBeNull();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ACCESS_POLL_MS);
    });
    expect(await screen.findByText('Sam')).toBeTruthy();
    expect(screen.getAllByTestId('access-row')).toHaveLength(2);
  });
});

describe('AccessPanel, the first into a new note', () => {
  it('says nobody is recorded yet, then lists the opening once the page’s copy reached the server, without waiting for the poll', async () => {
    // Asked as the page loads: nothing recorded yet. Asked again once the note is open: the opening.
    answers.push([], [read('Alex', 1)]);
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const id = '5e55e55e-0000-4000-8000-000000000002';
    const panel = (opened: boolean) => <QueryClientProvider client={client}><AccessPanel sessionId={id} opened={opened} /></QueryClientProvider>;
    const { rerender } = render(panel(false));
    expect((await screen.findByTestId('access-none')).textContent).toBe('No reads recorded yet.');
    rerender(panel(true));
    expect(await screen.findByText('Alex')).toBeTruthy();
    expect(screen.queryByTestId('access-none')).toBeNull();
  });
});
