import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewView } from '../../shared/domain/review';
import type { MemberView, SessionView } from '../../shared/domain/session';
import { SignPanel } from '../../client/features/lifecycle/SignPanel';
import type { SessionRecord } from '../../client/features/lifecycle/useSessionRecord';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const ALEX = '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01';
const BLAIR = '0d3c7a55-6b1e-4a0f-9f7c-2e4b8a6d1c02';
const CAM = '3e9d1b44-7a2c-4e8f-8b1d-5f6a7c8d9e03';
const DIGEST = 'a'.repeat(64);

const member = (userId: string, name: string, holdsRole: boolean): MemberView => ({
  userId, name, email: `${name.split(' ')[0]!.toLowerCase()}@clinic.test`, role: 'therapist', color: '#1f6feb', addedAt: '2026-11-30T13:00:00.000Z', notRemovable: null, holdsRole, accountChange: holdsRole ? null : 'admin',
});

/** An ended session of Alex, Blair and Cam, whose account was made an admin (holdsRole false). Alex has signed. */
const session: SessionView = {
  id: '5e55e55e-0000-4000-8000-000000000001', title: 'Tuesday', kind: 'individual', status: 'ended', scheduledAt: null,
  date: '2026-11-30T13:00:00.000Z', createdAt: '2026-11-30T12:00:00.000Z', createdBy: ALEX, startedAt: '2026-11-30T13:00:00.000Z', endedAt: '2026-11-30T14:00:00.000Z',
  groupMembers: [], groupSessionId: null, processNoteOf: null, myRole: 'therapist',
  members: [member(ALEX, 'Alex Therapist', true), member(BLAIR, 'Blair Therapist', true), member(CAM, 'Cam Therapist', false)],
};
const signed = { kind: 'signed' as const, by: ALEX, name: 'Alex Therapist', at: '2026-11-30T14:05:00.000Z', digest: DIGEST };
// The panel reads the round (signatures, returns, record changes) of the review; the rest of it is the review page's.
const review = { signatures: [signed], returns: [], recordChangedAt: null } as Partial<ReviewView> as ReviewView;
const record: SessionRecord = { review, verify: { status: 'ended', digest: DIGEST, signedDigest: null, matches: null, signatures: [signed] } };

/** The panel as `me` sees it on `shown`. */
function panel(me: string, shown = session, shownRecord = record, noteDigest = DIGEST) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <SignPanel
        session={shown} me={me} record={{ status: 'ok', data: shownRecord }} onRetry={() => {}} unansweredFlags={[]} emptyLines={[]} riskGaps={[]} groupChanges={[]}
        quoteOf={() => null} onReveal={() => {}} onWriteAfter={() => {}} onSigned={async () => {}} digestOfMyCopy={async () => DIGEST} copySynced noteDigest={noteDigest}
      />
    </QueryClientProvider>,
  );
}

describe('the sign panel’s list of signers', () => {
  it('waits for the therapists who may sign, and names the one whose account changed as not waited for', () => {
    panel(BLAIR);
    const rows = within(screen.getByTestId('signers')).getAllByRole('listitem').map((li) => li.textContent);
    expect(rows).toEqual([
      expect.stringMatching(/^Alex Therapistsigned /),
      'Blair Therapistnot signed yet',
      'Cam Therapistno longer signs (made an admin) — not waited for',
    ]);
    expect(screen.getByTestId('sign-submit')).toBeTruthy();
    expect(screen.queryByTestId('sign-ready-to-lock')).toBeNull();
  });

  it('tells the one who signed that the note locks only when they sign again, once nobody else is waited for', () => {
    // Blair was made an admin after Alex signed: Alex's signature is the only one waited for, and it is there.
    panel(ALEX, { ...session, members: session.members.map((m) => (m.userId === BLAIR ? { ...m, holdsRole: false, accountChange: 'deactivated' as const } : m)) });
    // Named, with what changed: 'a co-therapist who can no longer sign' left Alex guessing whom (walk, 6 Dec).
    expect(screen.getByTestId('sign-ready-to-lock').textContent).toContain('it is not locked: Blair Therapist (account deactivated) and Cam Therapist (made an admin), who can no longer sign, were waited for when you signed. Read it, then sign again to lock it.');
    expect(screen.getByTestId('sign-submit')).toBeTruthy();
  });

  // Walk, 6 Dec: A signed, and A's panel still offered "Sign the note", whose press answered 409
  // "You have already signed the note as it stands".
  it('offers no second signature to one who signed the note as it stands, and says whom it waits for', () => {
    panel(ALEX);
    expect(screen.queryByTestId('sign-submit')).toBeNull();
    expect(screen.getByTestId('sign-done').textContent).toBe(
      'You have signed the note as it stands. It locks once Blair Therapist has signed it too; if it changes before then, you are asked to sign again.',
    );
    cleanup();
    // Signed an earlier version: asked again.
    panel(ALEX, session, { ...record, verify: { ...record.verify, digest: 'c'.repeat(64) } }, 'c'.repeat(64));
    expect(screen.getByTestId('sign-submit')).toBeTruthy();
    expect(screen.queryByTestId('sign-done')).toBeNull();
  });

  // A walk (6 Dec): with the co-therapist's account made an admin, the panel named him "not waited
  // for", and went on to say the note locks "when every therapist has signed".
  it('says the note locks when the therapists it waits for have signed, not every therapist', () => {
    panel(BLAIR);
    expect(screen.getByTestId('sign-explain').textContent).toContain('The note locks when you and Alex Therapist have signed the same content;');
    cleanup();
    panel(ALEX, { ...session, members: [member(ALEX, 'Alex Therapist', true), member(BLAIR, 'Blair Therapist', false)] });
    expect(screen.getByTestId('sign-explain').textContent).toContain('The note locks when you sign;');
  });

  // A walk (6 Dec): Blair was made an admin, Alex's signature locked the note, Blair was changed
  // back; Blair's panel said "not signed yet", a signature still to give, with no Sign button.
  it('says who the locked note carries no signature of, and a signature of an earlier version as not of the note locked', () => {
    const earlier = { kind: 'signed' as const, by: CAM, name: 'Cam Therapist', at: '2026-11-30T14:01:00.000Z', digest: 'b'.repeat(64) };
    const locked = { ...session, status: 'signed' as const, members: session.members.map((m) => ({ ...m, holdsRole: true })) };
    const lockedRecord = { ...record, review: { ...review, signatures: [earlier, signed] } };
    const rows = () => within(screen.getByTestId('signers')).getAllByRole('listitem').map((li) => li.textContent);
    panel(BLAIR, locked, lockedRecord);
    expect(rows()).toEqual([
      expect.stringMatching(/^Alex Therapistsigned /),
      'Blair Therapistnot signed: it was locked without you',
      'Cam Therapistsigned an earlier version, not the note as locked',
    ]);
    cleanup();
    panel(ALEX, locked, lockedRecord);
    expect(rows()[1]).toBe('Blair Therapistnot signed: locked without their signature');
  });
});
