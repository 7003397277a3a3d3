import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AddendaSection } from '../../client/features/lifecycle/AddendaSection';

// Without vitest globals Testing Library cannot unmount by itself between tests.
afterEach(cleanup);

const cal = '0d3c7a55-6b1e-4a0f-9f7c-2e4b8a6d1c02';
const addenda = [
  { id: 'a1', by: cal, name: 'Cal Chen', at: '2026-12-06T07:43:00.000Z', text: 'Client emailed a sleep diary.' },
  { id: 'a2', by: cal, name: 'Cal Chen', at: '2026-12-06T09:10:00.000Z', text: 'GP letter received.' },
];
const noAdd = async () => {};

describe('AddendaSection', () => {
  // A supervisor walk, 6 Dec: the replay at 00:00 of a session listed an addendum written after signing.
  it('in a replay, lists only the addenda made by the moment shown, and offers no form', () => {
    render(<AddendaSection sessionId="s1" addenda={addenda} canAdd onAdded={noAdd} asOf={Date.parse('2026-12-06T08:00:00.000Z')} />);
    expect(screen.getAllByTestId('addendum').map((li) => li.textContent)).toEqual([expect.stringContaining('Client emailed a sleep diary.')]);
    expect(screen.queryByLabelText('New addendum')).toBeNull();
  });

  it('in a replay before the first addendum, shows no section at all', () => {
    render(<AddendaSection sessionId="s1" addenda={addenda} canAdd onAdded={noAdd} asOf={Date.parse('2026-12-06T07:37:00.000Z')} />);
    expect(screen.queryByTestId('addenda')).toBeNull();
  });

  it('without a replay, lists every addendum', () => {
    render(<AddendaSection sessionId="s1" addenda={addenda} canAdd={false} onAdded={noAdd} />);
    expect(screen.getAllByTestId('addendum')).toHaveLength(2);
  });
});
