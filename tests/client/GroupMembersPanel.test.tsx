import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../shared/domain/session';
import { GroupMembersPanel } from '../../client/features/lifecycle/GroupMembersPanel';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const session: SessionView = {
  id: '5e55e55e-0000-4000-8000-000000000002', title: 'Tuesday group', kind: 'group', status: 'scheduled', scheduledAt: null,
  date: '2026-11-30T13:00:00.000Z', createdAt: '2026-11-30T12:00:00.000Z', createdBy: '8b4f2f86-1f0e-4f59-8d2a-3c1c5d7e9a01', startedAt: null, endedAt: null,
  groupMembers: [], groupSessionId: null, processNoteOf: null, myRole: 'therapist', members: [],
};

function panel(shown: SessionView) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <GroupMembersPanel session={shown} canEdit onChanged={() => {}} />
    </QueryClientProvider>,
  );
}

/** Opens the label editor and types `text` into it, as a therapist does. */
function typeLabels(text: string) {
  panel(session);
  fireEvent.click(screen.getByTestId('group-members-edit'));
  fireEvent.change(screen.getByTestId('group-members-input'), { target: { value: text } });
}

const save = () => screen.getByTestId('group-members-save') as HTMLButtonElement;
const preview = () => screen.queryByTestId('group-members-preview')?.textContent ?? null;

describe('GroupMembersPanel', () => {
  // A walk (6 Dec): "Jane Doe, M2" was saved as three members, Jane, Doe and M2.
  it.each(['Jane Doe, M2', 'M1 M2, Alex Kim', 'M1; Jo Ann', 'jane doe, M2'])('refuses a name typed as a label (%j) instead of making members of its words', (text) => {
    typeLabels(text);
    expect(screen.getByText(/reads as a person’s name: give each member initials or a short code/).textContent).toMatch(/^“(Jane Doe|Alex Kim|Jo Ann|jane doe)”/);
    expect(save().disabled).toBe(true);
    expect(preview()).toBeNull();
  });

  it('reads initials and codes separated by spaces, commas or semicolons, and shows the members it will save', () => {
    typeLabels('M1 M2, JD;ab m5');
    expect(preview()).toBe('5 members: M1 · M2 · JD · ab · m5');
    expect(save().disabled).toBe(false);
  });

  // A walk (6 Dec): in a family session "Mo Fa C1" was refused as a person's name.
  it.each([
    ['Mo Fa C1', '3 members: Mo · Fa · C1'],
    ['Mum Dad C1 C2', '4 members: Mum · Dad · C1 · C2'],
    ['mom dad son', '3 members: mom · dad · son'],
  ])('reads words for a family’s or a couple’s people (%j) as labels, not as a name', (text, members) => {
    typeLabels(text);
    expect(preview()).toBe(members);
    expect(save().disabled).toBe(false);
  });

  it('still refuses a name beside such a word', () => {
    typeLabels('Mum Jane, C1');
    expect(screen.getByText(/^“Mum Jane” reads as a person’s name/)).toBeTruthy();
  });

  it('still names a label that is too long, and a label given twice', () => {
    typeLabels('M1, Jonathan');
    expect(screen.getByText(/“Jonathan” is not a label/)).toBeTruthy();
    expect(save().disabled).toBe(true);
    cleanup();
    typeLabels('M1 M2 M1');
    expect(screen.getByText('Each label may appear only once.')).toBeTruthy();
  });
});

// A walk (6 Dec, shot 70): a family session's panel was headed "Group members". A couple or a family
// has several people in the room, whom observations may name by label: the panel calls them so.
describe('GroupMembersPanel by kind of session', () => {
  it.each([
    ['group', 'Group members'],
    ['couple', 'Partners'],
    ['family', 'Family members'],
  ] as const)('a %s session’s labels are headed “%s”', (kind, heading) => {
    panel({ ...session, kind });
    expect(screen.getByRole('heading').textContent).toBe(heading);
  });
});

// A walk (6 Dec): after the labels were saved, the keyboard was on the page's body, and the next
// Tab started again from the top of the page.
describe('GroupMembersPanel from the keyboard', () => {
  it.each([
    ['Cancel', () => fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))],
    ['Escape', () => fireEvent.keyDown(screen.getByTestId('group-members-input'), { key: 'Escape' })],
  ])('gives the keyboard back to “Add labels” once the editor is closed (%s)', (_how, closeEditor) => {
    typeLabels('M1 M2');
    closeEditor();
    expect(screen.queryByTestId('group-members-input')).toBeNull();
    expect(document.activeElement).toBe(screen.getByTestId('group-members-edit'));
  });
});
