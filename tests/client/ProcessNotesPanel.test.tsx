import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeeperAskView, ProcessNoteAnswer, ProcessNoteView } from '../../shared/domain/processNote';
import type { SessionView } from '../../shared/domain/session';
import { ProcessNotesPanel } from '../../client/features/members/ProcessNotesPanel';
import { keys } from '../../client/query/keys';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const session: SessionView = {
  id: '5e55e55e-0000-4000-8000-000000000002', title: 'Tuesday group', kind: 'group', status: 'ended', scheduledAt: null,
  date: '2026-11-30T13:00:00.000Z', createdAt: '2026-11-30T12:00:00.000Z', createdBy: 'a', startedAt: '2026-11-30T13:00:00.000Z', endedAt: '2026-11-30T14:00:00.000Z',
  groupMembers: [], groupSessionId: null, processNoteOf: null, myRole: 'therapist', members: [],
};

const notes = (over: Partial<ProcessNoteView>): ProcessNoteView => ({
  processSessionId: '5e55e55e-0000-4000-8000-000000000003', retainDays: null, sharedAt: null, sharedBy: null, otherKeepers: ['Bea Cotherapist'],
  shareAsked: null, unsharedSupervisors: 0, removalAsked: null, retentionAsked: null, createdAt: '2026-11-30T13:05:00.000Z', removesAt: null, ...over,
});
const ask = (over: Partial<KeeperAskView>): KeeperAskView => ({ byName: 'Alex Therapist', byMe: true, at: '2026-11-30T14:05:00.000Z', waitsForMe: false, waitingFor: [], ...over });

/** A therapist's panel over the process notes as the server answered them (the query is fresh, so it is not asked again). */
function renderPanel(answer: ProcessNoteAnswer) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData<ProcessNoteAnswer>(keys.session(session.id, 'processNote'), answer);
  render(
    <QueryClientProvider client={client}>
      <ProcessNotesPanel session={session} isTherapist />
    </QueryClientProvider>,
  );
}

describe('ProcessNotesPanel', () => {
  // Walk, 6 Dec: once removed, the panel offered "Start process notes" again, and the press answered 409.
  it('says removed notes are gone for good, and offers no start', () => {
    renderPanel({ removedAt: '2026-11-30T15:00:00.000Z' });
    expect(screen.getByTestId('process-removed').textContent).toMatch(/^Removed for good on .+\. This session’s process notes cannot be started again\.$/);
    expect(screen.queryByTestId('process-create')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('offers a start where there are none yet', () => {
    renderPanel(null);
    expect(screen.getByTestId('process-create').textContent).toBe('Start process notes');
  });

  // Walk, 6 Dec: with three keepers the asks still read "once your co-therapist agrees".
  it('names the keepers an ask waits for when there are more than one other', () => {
    const both = ['Bea Cotherapist', 'Cy Third'];
    renderPanel(notes({ otherKeepers: both, removalAsked: ask({ waitingFor: both }), shareAsked: ask({ waitingFor: ['Cy Third'] }) }));
    expect(screen.getByTestId('process-removal-asked').textContent).toMatch(/; they are removed once Bea Cotherapist and Cy Third agree\. Withdraw my ask$/);
    expect(screen.getByTestId('process-share-asked').textContent).toMatch(/; they are shared once Cy Third agrees\.$/);
  });

  it('tells a keeper asked by another whose agreement is still missing besides theirs, and that theirs is given', () => {
    renderPanel(notes({
      otherKeepers: ['Alex Therapist', 'Cy Third'],
      removalAsked: ask({ byMe: false, waitsForMe: true, waitingFor: ['Cy Third'] }),
      shareAsked: ask({ byMe: false, waitsForMe: false, waitingFor: ['Cy Third'] }),
    }));
    expect(screen.getByTestId('process-removal-asked').textContent).toMatch(/They are removed only if you and Cy Third agree\.$/);
    expect(screen.getByTestId('process-share-asked').textContent).toMatch(/You agreed; they are shared once Cy Third agrees\.$/);
    // Agreeing again is not offered to one who agreed.
    expect(screen.queryByTestId('process-share')).toBeNull();
    expect(screen.getByTestId('process-remove').textContent).toBe('Agree to remove…');
  });

  it('still says “your co-therapist” to a pair', () => {
    renderPanel(notes({ removalAsked: ask({ waitingFor: ['Bea Cotherapist'] }) }));
    expect(screen.getByTestId('process-removal-asked').textContent).toMatch(/; they are removed once your co-therapist agrees\. Withdraw my ask$/);
  });
});
