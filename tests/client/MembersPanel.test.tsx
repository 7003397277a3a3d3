import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { AccountView } from '../../shared/domain/account';
import type { MemberView, SessionView } from '../../shared/domain/session';
import { AuthContext, type AuthContextValue } from '../../client/auth/AuthProvider';
import { MembersPanel } from '../../client/features/sessions/MembersPanel';
import { keys } from '../../client/query/keys';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const ALEX = '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01';
const BLAIR = '0d3c7a55-6b1e-4a0f-9f7c-2e4b8a6d1c02';
const SAM = '3e9d1b44-7a2c-4e8f-8b1d-5f6a7c8d9e03';
const KEPT = 'This therapist is one of the note’s authors, so they stay a member until it is signed; an admin can remove them, giving a reason.';

const member = (userId: string, name: string, role: MemberView['role'], notRemovable: string | null = null): MemberView => ({
  userId, name, email: `${name.split(' ')[0]!.toLowerCase()}@clinic.test`, role, color: '#1f6feb', addedAt: '2026-11-30T13:00:00.000Z', notRemovable, holdsRole: true, accountChange: null,
});

/** Alex's view of a live session with Blair and their supervisor, as the server sends it. */
const sessionView = (blairKept: string | null): SessionView => ({
  id: '5e55e55e-0000-4000-8000-000000000001', title: 'Tuesday group', kind: 'group', status: 'live', scheduledAt: null,
  date: '2026-11-30T13:00:00.000Z', createdAt: '2026-11-30T12:00:00.000Z', createdBy: ALEX, startedAt: '2026-11-30T13:00:00.000Z', endedAt: null,
  groupMembers: [], groupSessionId: null, processNoteOf: null, myRole: 'therapist',
  members: [member(ALEX, 'Alex Therapist', 'therapist'), member(BLAIR, 'Blair Therapist', 'therapist', blairKept), member(SAM, 'Sam Supervisor', 'supervisor')],
});

const alex: AccountView = { id: ALEX, email: 'alex@clinic.test', name: 'Alex Therapist', role: 'clinician', active: true, color: '#1f6feb', createdAt: '2026-11-01T00:00:00.000Z' };

function Providers({ children }: { children: ReactNode }) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData<AccountView[]>(keys.users, [alex]);
  const auth: AuthContextValue = { state: { status: 'signed-in', user: alex }, signedIn() {}, signedOut() {}, logOut: async () => {}, reload: async () => {} };
  return (
    <QueryClientProvider client={client}>
      <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>
    </QueryClientProvider>
  );
}

/** Another copy of the note, writing under `clientId`: its words reach `doc` as the provider applies them (not local). */
function copyOf(doc: Y.Doc, clientId: number): (text: string) => void {
  const copy = new Y.Doc();
  copy.clientID = clientId;
  return (text) => {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(copy)));
    copy.getXmlFragment('note').insert(0, [new Y.XmlText(text)]);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(copy, Y.encodeStateVector(doc)), 'provider');
  };
}

const removeOffered = (name: string) => screen.queryByRole('button', { name: `Remove ${name}` }) !== null;

describe('MembersPanel', () => {
  // A clinician walk: Remove stayed offered for the co-therapist who had begun writing after the
  // page opened; the server refused it (a therapist who has written stays until the note is signed).
  it('reads the session again when a co-therapist begins writing, and then no longer offers to remove them', () => {
    const doc = new Y.Doc();
    const alexElsewhere = copyOf(doc, 1001);
    const blair = copyOf(doc, 2002);
    alexElsewhere('Alex: M1 arrived late.');
    let reads = 0;
    let view = sessionView(null);
    const panel = () => <MembersPanel session={view} doc={doc} onChanged={() => reads++} />;
    const { rerender } = render(panel(), { wrapper: Providers });
    expect(removeOffered('Blair Therapist')).toBe(true);

    // Alex's own typing, and more words under a client id already known, say nothing new.
    doc.getXmlFragment('note').insert(0, [new Y.XmlText('Alex again.')]);
    alexElsewhere('Alex, second device.');
    expect(reads).toBe(0);

    blair('Blair: M2 left early.');
    expect(reads).toBe(1);
    blair('Blair: and came back.');
    expect(reads).toBe(1);

    // What the server answers then (the same rule its refusal comes from).
    view = sessionView(KEPT);
    rerender(panel());
    expect(removeOffered('Blair Therapist')).toBe(false);
    expect(screen.getByTestId('member-kept').textContent).toBe(KEPT);
    expect(removeOffered('Sam Supervisor')).toBe(true);
  });
});
