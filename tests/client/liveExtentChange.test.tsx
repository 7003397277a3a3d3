import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SessionView } from '../../shared/domain/session';
import { sessionDoc } from '../../shared/ydoc/sessionDoc';
import { ObservationsPanel } from '../../client/features/observations/ObservationsPanel';
import type { FlagActions } from '../../client/features/observations/useFlagActions';
import { useNoteObservations } from '../../client/features/observations/useNoteObservations';
import { formatTime } from '../../client/features/review/reviewFormat';

afterEach(cleanup);

const ALEX = '00000000-0000-4000-8000-00000000000a';
const BLAIR = '00000000-0000-4000-8000-00000000000b';
const OBS = '00000000-0000-4000-8000-000000000001';
const member = (userId: string, name: string) => ({ userId, name, email: `${name}@x`, role: 'therapist' as const, color: '#123456', addedAt: '2026-12-06T10:00:00.000Z', notRemovable: null, holdsRole: true, accountChange: null });
const session: SessionView = {
  id: 's', title: 'Session', kind: 'individual', status: 'live', scheduledAt: null, date: '2026-12-06', createdAt: '2026-12-06T10:00:00.000Z', createdBy: ALEX,
  startedAt: '2026-12-06T10:00:00.000Z', endedAt: null, groupMembers: [], groupSessionId: null, processNoteOf: null, myRole: 'therapist',
  members: [member(ALEX, 'Alex Therapist'), member(BLAIR, 'Blair Therapist')],
};
const noop = () => false;
const flags = { pending: [], message: null, dispute: null, jumpNext: noop, acknowledge: noop, startDispute: noop, submitDispute: () => undefined, cancelDispute: () => undefined, reveal: noop } as unknown as FlagActions;

/** The session page's panel, fed from the note's Y.Doc as the page feeds it. */
function Panel({ doc }: { doc: Y.Doc }) {
  const notes = useNoteObservations(doc);
  return <ObservationsPanel session={session} me={ALEX} editor={null} notes={notes} tags={new Map()} flags={flags} canAnswer canTag />;
}

// Attack, 6 Dec: Blair's Backspace joined "No risk indicators today; plan unchanged." into Alex's
// tagged line; the server recorded it (`extents`), but only the review and the exports showed it.
// Alex, writing the note, saw her observation in the side panel as wholly hers.
describe('the session page’s observations panel', () => {
  it('shows the other therapist’s change of what an observation quotes as it arrives in the note', () => {
    const doc = new Y.Doc();
    const { observations, extents } = sessionDoc(doc);
    observations.set(OBS, { id: OBS, tags: ['affect'], authorId: ALEX, createdAt: Date.parse('2026-12-06T10:05:00.000Z'), kind: 'line', member: null, forCoTherapist: false });
    render(<Panel doc={doc} />);
    expect(screen.getByTestId('observation-item')).toBeTruthy();
    expect(screen.queryByTestId('observation-extent-changed')).toBeNull();

    // As the server's record arrives over the socket: a change of the map, not of the observation.
    const at = Date.parse('2026-12-06T10:42:00.000Z');
    act(() => extents.set(OBS, { by: BLAIR, at, was: 'tearful when her father came up.' }));
    expect(screen.getByTestId('observation-extent-changed').textContent).toBe(`What it quotes was changed by Blair Therapist, ${formatTime(at)}; as tagged: “tearful when her father came up.”`);

    // Put back as tagged, the server takes its record off: so does the panel.
    act(() => extents.delete(OBS));
    expect(screen.queryByTestId('observation-extent-changed')).toBeNull();
  });
});
